package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"bastion/internal/severity"
)

var schemaPath = filepath.Join("..", "..", "docs", "policy.schema.json")

// compileSchema compiles the checked-in schema of the policy file.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatalf("schema: %v", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("policy.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("policy.schema.json")
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	return sch
}

// yamlToJSON converts a YAML document to the JSON value it stands for,
// keeping the YAML types: a timestamp-looking date stays a string, as the
// policy reads it.
func yamlToJSON(t *testing.T, data []byte) any {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	v, err := nodeValue(doc.Content[0])
	if err != nil {
		t.Fatal(err)
	}
	// Round through encoding/json so that the validator sees the types
	// it expects (json.Number, map[string]any).
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func nodeValue(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := nodeValue(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		l := []any{}
		for _, c := range n.Content {
			v, err := nodeValue(c)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil, nil
		case "!!bool":
			return strconv.ParseBool(strings.ToLower(n.Value))
		case "!!int":
			return strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
		case "!!float":
			return strconv.ParseFloat(n.Value, 64)
		case "!!str", "!!timestamp":
			return n.Value, nil
		}
	}
	return nil, fmt.Errorf("line %d: cannot convert %v %s", n.Line, n.Kind, n.ShortTag())
}

func TestSchemaValidatesExamples(t *testing.T) {
	sch := compileSchema(t)
	example, err := os.ReadFile(filepath.Join("..", "..", "docs", "policy.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var written bytes.Buffer
	if err := Write(&written, InitInput{Host: "aix433", Services: aixDefault(t), Date: time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	edited := strings.ReplaceAll(strings.ReplaceAll(written.String(), "\n#  - ", "\n  - "), "\n#    ", "\n    ")
	for name, data := range map[string][]byte{
		"policy.example.yaml":      example,
		"init output":              written.Bytes(),
		"init output, uncommented": []byte(edited),
		"minimal":                  []byte("version: 1\n"),
	} {
		if _, err := Load(bytes.NewReader(data), name); err != nil {
			t.Errorf("%s: Load: %v", name, err)
		}
		if err := sch.Validate(yamlToJSON(t, data)); err != nil {
			t.Errorf("%s: schema: %v", name, err)
		}
	}
}

// TestSchemaRejects checks that the schema refuses some policies Load
// refuses, so that an editor flags them too.
func TestSchemaRejects(t *testing.T) {
	sch := compileSchema(t)
	for _, in := range []string{
		"services: [ftp]\n",
		"version: 2\n",
		"version: 1\nrole: [mail-server]\n",
		"version: 1\nroles: [mailserver]\n",
		"version: 1\nroles: [mail-server, mail-server]\n",
		"version: 1\nservices: [8080]\n",
		"version: 1\nfail_on: urgent\n",
		"version: 1\nrouter: \"yes\"\n",
		"version: 1\nwaivers:\n  - {rule: A-1, expires: 2030-01-01}\n",
		"version: 1\nwaivers:\n  - {rule: A-1, reason: r}\n",
		"version: 1\nwaivers:\n  - {rule: A-1, reason: r, expires: 2030-1-1}\n",
		"version: 1\nwaivers:\n  - {rule: A-*-B, reason: r, expires: 2030-01-01}\n",
		"version: 1\nwaivers:\n  - {rule: A-1, reason: r, expires: 2030-01-01, why: x}\n",
	} {
		if err := sch.Validate(yamlToJSON(t, []byte(in))); err == nil {
			t.Errorf("schema accepts %q", in)
		}
		if _, err := Load(strings.NewReader(in), "x.yaml"); err == nil {
			t.Errorf("Load accepts %q", in)
		}
	}
}

// TestSchemaMatchesGo checks that the schema's lists of roles and
// severities are the ones this package knows.
func TestSchemaMatchesGo(t *testing.T) {
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Schema     string `json:"$schema"`
		Properties struct {
			FailOn struct {
				Enum []string `json:"enum"`
			} `json:"fail_on"`
			Version struct {
				Const int `json:"const"`
			} `json:"version"`
		} `json:"properties"`
		Defs struct {
			Role struct {
				Enum []string `json:"enum"`
			} `json:"role"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	if s.Schema != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("$schema = %q, want draft 2020-12", s.Schema)
	}
	if diff := cmp.Diff(RoleNames(), slices.Sorted(slices.Values(s.Defs.Role.Enum))); diff != "" {
		t.Errorf("schema roles differ from the role table (-go +schema):\n%s", diff)
	}
	var levels []string
	for _, l := range severity.Levels() {
		levels = append(levels, l.String())
	}
	if diff := cmp.Diff(levels, s.Properties.FailOn.Enum); diff != "" {
		t.Errorf("schema severities differ (-go +schema):\n%s", diff)
	}
	if s.Properties.Version.Const != Version {
		t.Errorf("schema version %d, want %d", s.Properties.Version.Const, Version)
	}
}
