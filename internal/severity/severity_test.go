package severity

import (
	"encoding/json"
	"testing"
)

func TestLevels(t *testing.T) {
	for _, l := range Levels() {
		got, err := Parse(l.String())
		if err != nil || got != l {
			t.Errorf("Parse(%q) = %v, %v", l, got, err)
		}
	}
	if l, err := Parse("HIGH"); err != nil || l != High {
		t.Errorf("Parse(HIGH) = %v, %v", l, err)
	}
	if _, err := Parse("severe"); err == nil {
		t.Error("Parse(severe) succeeded")
	}
	if !(Info < Low && Low < Medium && Medium < High && High < Critical) {
		t.Error("levels out of order")
	}
	if Level(0).String() != "severity(0)" {
		t.Error(Level(0).String())
	}
	b, err := json.Marshal(struct{ S Level }{Critical})
	if err != nil || string(b) != `{"S":"critical"}` {
		t.Errorf("marshal = %s, %v", b, err)
	}
	var v struct{ S Level }
	if err := json.Unmarshal([]byte(`{"S":"low"}`), &v); err != nil || v.S != Low {
		t.Errorf("unmarshal = %v, %v", v, err)
	}
	if err := json.Unmarshal([]byte(`{"S":"x"}`), &v); err == nil {
		t.Error("unmarshal of a bad name succeeded")
	}
	if _, err := json.Marshal(struct{ S Level }{0}); err == nil {
		t.Error("marshal of an invalid level succeeded")
	}
}
