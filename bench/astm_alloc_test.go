//go:build !race

package bench

import (
	"testing"

	"github.com/medtap/medtap/legacy/astm"
	"github.com/medtap/medtap/legacy/poct1a"
)

func TestASTMAllocs(t *testing.T) {
	msgs := astmMessages()
	framed := astmFramed(msgs)
	var p astm.Parser
	d := new(astm.Decoder)
	astmDecode(d, framed)
	for name, f := range map[string]func(){
		"records":           func() { astmScan(&p, msgs) },
		"records+summaries": func() { astmSummarise(&p, msgs) },
		"e1381-decode":      func() { astmDecode(d, framed) },
	} {
		if n := testing.AllocsPerRun(20, f); n != 0 {
			t.Errorf("%s: %v allocs per run, want 0", name, n)
		}
	}
}

func TestIntelliVueAllocs(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { ivueDecode(ivuePollResult) }); n != 0 {
		t.Errorf("decoding a poll result allocates %v times, want 0", n)
	}
}

func TestPOCT1AAllocs(t *testing.T) {
	data := poctStream()
	d := new(poct1a.Decoder)
	poctDecode(d, data)
	if n := testing.AllocsPerRun(20, func() { poctDecode(d, data) }); n != 0 {
		t.Errorf("decoding a POCT1-A stream allocates %v times, want 0", n)
	}
}
