package flow_test

import (
	"fmt"
	"io/fs"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/p0ftest"
	"github.com/medtap/medtap/internal/testutil"
)

// handshake is the signatures of one flow the engine opened with a SYN.
type handshake struct{ syn, synack string }

type endpoints struct{ client, server netip.AddrPort }

// handshakeSink collects, per client and server, the flows' signatures in
// the order the flows started.
type handshakeSink struct {
	flows map[endpoints][]*handshake
}

func (s *handshakeSink) Event(e *flow.Event) {
	fi, ok := e.Detail.(*flow.FlowInfo)
	if !ok {
		return
	}
	k := endpoints{e.Src, e.Dst}
	switch e.Kind {
	case flow.KindStart:
		if !fi.SYN.IsZero() {
			s.flows[k] = append(s.flows[k], &handshake{syn: fi.SYN.String()})
		}
	case flow.KindEnd:
		if l := s.flows[k]; len(l) > 0 && !fi.SYNACK.IsZero() {
			l[len(l)-1].synack = fi.SYNACK.String()
		}
	}
}

// captures returns every capture committed in the repository that p0f can
// read, and those of the shared corpus when it is present.
func captures(t *testing.T) []string {
	var files []string
	root := testutil.RepoRoot(t)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() && strings.HasPrefix(name, ".") && path != root {
			return filepath.SkipDir
		}
		switch {
		case strings.HasSuffix(name, ".pcap"), strings.HasSuffix(name, ".pcapng"):
			files = append(files, path)
		case strings.Contains(name, ".pcap"):
			t.Logf("skipping %s: p0f reads no compressed captures", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if dir := testutil.CorpusRoot(); dir != "" {
		m, _ := filepath.Glob(filepath.Join(dir, "pcap", "*.pcap"))
		files = append(files, m...)
	}
	return files
}

// p0fCounts counts the signatures compared with p0f's and those medtap
// computes that p0f does not print.
type p0fCounts struct{ files, syn, synack, bad, onlySYN, onlySYNACK int }

func (c *p0fCounts) add(d p0fCounts) {
	c.files += d.files
	c.syn += d.syn
	c.synack += d.synack
	c.bad += d.bad
	c.onlySYN += d.onlySYN
	c.onlySYNACK += d.onlySYNACK
}

func (c p0fCounts) String() string {
	return fmt.Sprintf("%d SYN and %d SYN+ACK signatures compared with p0f's, %d disagree; medtap alone: %d SYN, %d SYN+ACK",
		c.syn, c.synack, c.bad, c.onlySYN, c.onlySYNACK)
}

// compareWithP0f runs file through the engine and through p0f with the
// fingerprint database db, and checks that every SYN and SYN+ACK signature
// p0f prints equals the syn_sig of the flow's start event or the
// synack_sig of its end event.
func compareWithP0f(t *testing.T, p0f, file, db string) p0fCounts {
	want := p0ftest.Run(t, p0f, file, db)
	sink := &handshakeSink{flows: map[endpoints][]*handshake{}}
	e, err := flow.NewEngine(flow.Config{}, sink)
	if err != nil {
		t.Fatal(err)
	}
	if err := capture.RunFile(e, file); err != nil {
		t.Fatal(err)
	}
	c := p0fCounts{files: 1}
	next := map[endpoints]int{}
	cur := map[endpoints]*handshake{}
	compared := map[*handshake]bool{}
	for _, w := range want {
		k := endpoints{w.Client, w.Server}
		if !w.SYNACK {
			c.syn++
			i := next[k]
			if i >= len(sink.flows[k]) {
				c.bad++
				t.Errorf("p0f: SYN %v -> %v %s; medtap has no flow with a syn_sig left", k.client, k.server, w.RawSig)
				continue
			}
			next[k]++
			cur[k] = sink.flows[k][i]
			if got := cur[k].syn; got != w.RawSig {
				c.bad++
				t.Errorf("SYN %v -> %v:\n p0f    %s\n medtap %s", k.client, k.server, w.RawSig, got)
			}
			continue
		}
		c.synack++
		h := cur[k]
		if h == nil {
			c.bad++
			t.Errorf("p0f: SYN+ACK %v -> %v %s before any SYN", k.client, k.server, w.RawSig)
			continue
		}
		if h.synack != w.RawSig {
			c.bad++
			t.Errorf("SYN+ACK %v -> %v:\n p0f    %s\n medtap %s", k.client, k.server, w.RawSig, h.synack)
		}
		compared[h] = true
	}
	// What medtap fingerprints and p0f does not print: with p0f's own
	// database, the SYN+ACKs of flows it stops following once their SYN
	// matched a tool's signature (nmap's probes).
	for k, l := range sink.flows {
		for i, h := range l {
			if i >= next[k] {
				c.onlySYN++
				t.Errorf("medtap alone: SYN %v -> %v %s", k.client, k.server, h.syn)
			}
			if h.synack != "" && !compared[h] {
				c.onlySYNACK++
				t.Logf("medtap alone: SYN+ACK %v -> %v %s (its SYN: %s)", k.client, k.server, h.synack, h.syn)
			}
		}
	}
	t.Log(c)
	return c
}

// TestSignaturesAgainstP0f compares medtap's signatures with those p0f
// prints for every capture committed in the repository (and of the shared
// corpus when present): with p0f's own database, and with that database
// less the signatures of tools, with which p0f prints every SYN+ACK.
func TestSignaturesAgainstP0f(t *testing.T) {
	p0f := p0ftest.Tool(t)
	dbs := []struct{ name, file string }{{"p0f.fp", p0ftest.DefaultDB}, {"no-tools", p0ftest.NoToolsDB(t)}}
	files := captures(t)
	root := testutil.RepoRoot(t)
	for _, db := range dbs {
		var total p0fCounts
		for _, file := range files {
			rel, _ := filepath.Rel(root, file)
			t.Run(db.name+"/"+rel, func(t *testing.T) {
				c := compareWithP0f(t, p0f, file, db.file)
				if db.name == "no-tools" && c.onlySYNACK != 0 {
					t.Errorf("p0f without tool signatures prints %d SYN+ACKs fewer than medtap", c.onlySYNACK)
				}
				total.add(c)
			})
		}
		t.Logf("database %s, %d captures: %v", db.name, total.files, total)
	}
}
