// Package pcapflow runs committed captures through the flow engine for the
// tests of flow's adapter packages.
package pcapflow

import (
	"testing"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/flow"
)

// Events runs the named capture through a new engine with only the given
// protocols and returns every event of those protocols (not the engine's
// own "flow" events) as its JSON line, in order.
func Events(tb testing.TB, name string, protocols ...string) []string {
	tb.Helper()
	var lines []string
	want := map[string]bool{}
	for _, p := range protocols {
		want[p] = true
	}
	e, err := flow.NewEngine(flow.Config{Protocols: protocols}, flow.SinkFunc(func(ev *flow.Event) {
		if want[ev.Protocol] {
			lines = append(lines, string(flow.AppendEventJSON(nil, ev)))
		}
	}))
	if err != nil {
		tb.Fatal(err)
	}
	if err := capture.RunFile(e, name); err != nil {
		tb.Fatal(err)
	}
	return lines
}
