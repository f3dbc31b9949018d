package remedy

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// The JSON form of a plan:
//
//	{"schema_version": 1, "changes": [
//	  {"kind": "edit", "rule": "SVC-INETD-TELNET", "reason": "...",
//	   "path": "/etc/inetd.conf",
//	   "edits": [{"op": "replace", "line": 14, "old": "telnet ...", "new": ["#telnet ..."]}]},
//	  {"kind": "create", ..., "content": "root\n", "mode": "0600", "owner": "root"},
//	  {"kind": "command", ..., "argv": ["refresh", "-s", "inetd"], "live_only": true, "offline": "..."}]}
//
// Text taken from a file (paths, line text, content, command words) is a
// JSON string when it is valid UTF-8, and {"base64": "..."} when it is not,
// so that a plan keeps the bytes of files in other encodings exactly. Modes
// are octal strings as chmod takes them. Unknown fields are refused.

// text is a string that survives JSON whatever bytes it holds.
type text string

func (t text) MarshalJSON() ([]byte, error) {
	if utf8.ValidString(string(t)) {
		return json.Marshal(string(t))
	}
	return json.Marshal(struct {
		Base64 string `json:"base64"`
	}{base64.StdEncoding.EncodeToString([]byte(t))})
}

func (t *text) UnmarshalJSON(data []byte) error {
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		*t = text(s)
		return nil
	}
	var v struct {
		Base64 string `json:"base64"`
	}
	if err := strict(data, &v); err != nil {
		return err
	}
	b, err := base64.StdEncoding.DecodeString(v.Base64)
	if err != nil {
		return fmt.Errorf("decode base64 text: %w", err)
	}
	*t = text(b)
	return nil
}

// strict decodes data into v, refusing unknown fields and trailing data.
func strict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("unexpected data after JSON value")
	}
	return nil
}

func texts(ss []string) []text {
	if ss == nil {
		return nil
	}
	out := make([]text, len(ss))
	for i, s := range ss {
		out[i] = text(s)
	}
	return out
}

func strs(ts []text) []string {
	if ts == nil {
		return nil
	}
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t)
	}
	return out
}

type planJSON struct {
	SchemaVersion int      `json:"schema_version"`
	Target        string   `json:"target,omitempty"`
	Changes       []Change `json:"changes"`
}

// MarshalJSON writes the plan with the current SchemaVersion.
func (p Plan) MarshalJSON() ([]byte, error) {
	changes := p.Changes
	if changes == nil {
		changes = []Change{}
	}
	return json.Marshal(planJSON{SchemaVersion: SchemaVersion, Target: p.Target, Changes: changes})
}

// UnmarshalJSON reads a plan, refusing another schema version and unknown
// fields.
func (p *Plan) UnmarshalJSON(data []byte) error {
	var v struct {
		SchemaVersion *int            `json:"schema_version"`
		Target        string          `json:"target"`
		Changes       json.RawMessage `json:"changes"`
	}
	if err := strict(data, &v); err != nil {
		return fmt.Errorf("decode plan: %w", err)
	}
	if v.SchemaVersion == nil {
		return fmt.Errorf("decode plan: no schema_version")
	}
	if *v.SchemaVersion != SchemaVersion {
		return fmt.Errorf("decode plan: schema version %d, want %d", *v.SchemaVersion, SchemaVersion)
	}
	var changes []Change
	if len(v.Changes) > 0 {
		if err := strict(v.Changes, &changes); err != nil {
			return fmt.Errorf("decode plan: %w", err)
		}
	}
	p.Changes, p.Target = changes, v.Target
	return nil
}

type changeJSON struct {
	Kind     Kind   `json:"kind"`
	Rule     string `json:"rule"`
	Reason   string `json:"reason"`
	Path     text   `json:"path,omitempty"`
	Edits    []Edit `json:"edits,omitempty"`
	Content  *text  `json:"content,omitempty"`
	Mode     string `json:"mode,omitempty"`
	Owner    string `json:"owner,omitempty"`
	Group    string `json:"group,omitempty"`
	Argv     []text `json:"argv,omitempty"`
	LiveOnly bool   `json:"live_only,omitempty"`
	Offline  string `json:"offline,omitempty"`
}

// MarshalJSON writes the change with only the fields its kind uses.
func (c Change) MarshalJSON() ([]byte, error) {
	v := changeJSON{
		Kind: c.Kind, Rule: c.Rule, Reason: c.Reason, Path: text(c.Path), Edits: c.Edits,
		Owner: c.Owner, Group: c.Group, Argv: texts(c.Argv), LiveOnly: c.LiveOnly, Offline: c.Offline,
	}
	if c.Kind == KindCreate || c.Content != "" {
		t := text(c.Content)
		v.Content = &t
	}
	if c.Kind == KindCreate || c.Kind == KindChmod || c.Mode != 0 {
		v.Mode = octal(c.Mode)
		if c.Mode&^modeBits != 0 {
			return nil, fmt.Errorf("encode change: mode %v has bits other than permissions, setuid, setgid and sticky", c.Mode)
		}
	}
	return json.Marshal(v)
}

// UnmarshalJSON reads a change, refusing unknown fields.
func (c *Change) UnmarshalJSON(data []byte) error {
	var v changeJSON
	if err := strict(data, &v); err != nil {
		return fmt.Errorf("decode change: %w", err)
	}
	var mode uint64
	if v.Mode != "" {
		var err error
		mode, err = strconv.ParseUint(v.Mode, 8, 32)
		if err != nil || mode > 0o7777 {
			return fmt.Errorf("decode change: mode %q is not an octal mode up to 7777", v.Mode)
		}
	}
	*c = Change{
		Kind: v.Kind, Rule: v.Rule, Reason: v.Reason, Path: string(v.Path), Edits: v.Edits,
		Mode: fromOctal(mode), Owner: v.Owner, Group: v.Group, Argv: strs(v.Argv),
		LiveOnly: v.LiveOnly, Offline: v.Offline,
	}
	if v.Content != nil {
		c.Content = string(*v.Content)
	}
	return nil
}

type editJSON struct {
	Op        EditOp `json:"op"`
	Line      int    `json:"line,omitempty"`
	Old       *text  `json:"old,omitempty"`
	OldSHA256 string `json:"old_sha256,omitempty"`
	New       []text `json:"new,omitempty"`
}

// MarshalJSON writes the edit; "old" is written for a replace or delete
// even when the expected line is empty.
func (e Edit) MarshalJSON() ([]byte, error) {
	v := editJSON{Op: e.Op, Line: e.Line, New: texts(e.New), OldSHA256: e.OldSHA256}
	if (e.Op == OpReplace || e.Op == OpDelete || e.Old != "") && e.OldSHA256 == "" {
		t := text(e.Old)
		v.Old = &t
	}
	return json.Marshal(v)
}

// UnmarshalJSON reads an edit, refusing unknown fields.
func (e *Edit) UnmarshalJSON(data []byte) error {
	var v editJSON
	if err := strict(data, &v); err != nil {
		return fmt.Errorf("decode edit: %w", err)
	}
	*e = Edit{Op: v.Op, Line: v.Line, New: strs(v.New), OldSHA256: v.OldSHA256}
	if v.Old != nil {
		e.Old = string(*v.Old)
	}
	return nil
}
