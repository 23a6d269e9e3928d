package segment

import (
	"os"
	"strings"
	"testing"
)

// TestREADME checks that the README lists every expected class pair and
// shows the test hospital's allow-list and crossings as they are.
func TestREADME(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range defaultExpectations {
		svcs := make([]string, len(e.Services))
		for i, s := range e.Services {
			svcs[i] = "`" + s + "`"
		}
		row := "| `" + string(e.Client) + "` | `" + string(e.Server) + "` | " + strings.Join(svcs, ", ") + " | " + e.Note + " |\n"
		if !strings.Contains(string(readme), row) {
			t.Errorf("README lacks the row\n%s", row)
		}
	}
	text := string(hospital().Advice(hospitalDevices).AppendText(nil))
	for _, section := range []string{"Allow-list", "Unusual crossings"} {
		i := strings.Index(text, section)
		j := strings.Index(text[i:], "\n\n")
		if j < 0 {
			j = len(text) - i
		}
		if part := text[i : i+j]; !strings.Contains(string(readme), part) {
			t.Errorf("README lacks the hospital's %s:\n%s", section, part)
		}
	}
}
