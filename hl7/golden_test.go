package hl7_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medtap/medtap/hl7"
)

var update = flag.Bool("update", false, "rewrite the .golden files")

// TestCorpusGolden parses every file of ../shared/corpus/hl7 as a batch and
// compares a dump of every message (and the final error) with
// testdata/golden/<file>.golden.
func TestCorpusGolden(t *testing.T) {
	dir := corpusDir(t, "hl7")
	files, err := filepath.Glob(filepath.Join(dir, "*.hl7"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var sb strings.Builder
			var b hl7.Batch
			b.Reset(data)
			for b.Next() {
				fmt.Fprintf(&sb, "message %d: ", b.Count())
				dump(&sb, b.Message())
			}
			fmt.Fprintf(&sb, "messages=%d err=%v\n", b.Count(), b.Err())
			if strings.Contains(name, "bad") && b.Err() == nil {
				t.Errorf("%s: no error for a bad batch", name)
			}
			if !strings.Contains(name, "bad") && b.Err() != nil {
				t.Errorf("%s: %v", name, b.Err())
			}
			golden := filepath.Join("testdata", "golden", name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(sb.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if !bytes.Equal(want, []byte(sb.String())) {
				t.Errorf("dump differs from %s:\n%s", golden, sb.String())
			}
		})
	}
}
