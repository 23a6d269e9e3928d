package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/medtap/medtap/internal/testutil"
)

func runMedscan(t *testing.T, stdin []byte, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	status = run(context.Background(), args, bytes.NewReader(stdin), &out, &errb)
	return status, out.String(), errb.String()
}

var tsRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$`)

// checkJSONLines validates every line and returns them decoded.
func checkJSONLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("invalid JSON line %q: %v", sc.Text(), err)
		}
		typ, _ := m["type"].(string)
		switch typ {
		case "event":
			for _, k := range []string{"proto", "kind", "src", "dst"} {
				if _, ok := m[k].(string); !ok {
					t.Fatalf("event without %q: %s", k, sc.Text())
				}
			}
		case "device", "summary", "alert":
		default:
			t.Fatalf("unknown type in %s", sc.Text())
		}
		if ts, _ := m["ts"].(string); !tsRE.MatchString(ts) {
			t.Fatalf("bad ts in %s", sc.Text())
		}
		lines = append(lines, m)
	}
	if len(lines) == 0 || lines[len(lines)-1]["type"] != "summary" {
		t.Fatalf("output does not end with a summary")
	}
	return lines
}

func TestEmbeddedSample(t *testing.T) {
	status, out, errs := runMedscan(t, nil)
	if status != 0 {
		t.Fatalf("status %d, stderr %s", status, errs)
	}
	for _, want := range []string{"DEVICES", "PROTOCOLS", "EVENTS", "COUNTERS", "flow", "start"} {
		if !strings.Contains(out, want) {
			t.Errorf("table output lacks %q:\n%s", want, out)
		}
	}
	status, out, _ = runMedscan(t, nil, "-json")
	if status != 0 {
		t.Fatal("status", status)
	}
	lines := checkJSONLines(t, out)
	sum := lines[len(lines)-1]
	for _, k := range []string{"packets", "bytes", "flows", "flows_evicted", "truncated", "decode_errors", "buffer_drops"} {
		if _, ok := sum[k].(float64); !ok {
			t.Errorf("summary lacks %q", k)
		}
	}
	if sum["packets"].(float64) == 0 || sum["flows"].(float64) == 0 {
		t.Errorf("summary counts nothing: %v", sum)
	}
	devices, named := 0, map[string]bool{}
	for _, l := range lines {
		if l["type"] == "device" {
			devices++
			names, _ := l["names"].([]any)
			for _, n := range names {
				named[strings.SplitN(n.(string), ":", 2)[0]] = true
			}
		}
	}
	if devices < 2 {
		t.Errorf("%d device lines", devices)
	}
	// The sample holds DICOM associations, HL7 messages and an ASTM session:
	// each names its devices.
	for _, kind := range []string{"ae", "hl7", "astm"} {
		if !named[kind] {
			t.Errorf("no device named by %s events (names seen: %v)", kind, named)
		}
	}
}

func TestStdinAndCompression(t *testing.T) {
	var zs bytes.Buffer
	zw, _ := zstd.NewWriter(&zs)
	zw.Write(sample)
	zw.Close()
	// Patient data hashed with a key random per run would differ.
	_, plain, _ := runMedscan(t, nil, "-json", "-phi", "keep")
	status, out, errs := runMedscan(t, zs.Bytes(), "-json", "-phi", "keep", "-")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	if out != plain {
		t.Error("zstd-compressed sample on stdin gives different output from the embedded sample")
	}
}

func TestExitStatus(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.pcap")
	os.WriteFile(junk, []byte("this is not a capture at all"), 0o644)
	cut := filepath.Join(dir, "cut.pcapng")
	os.WriteFile(cut, sample[:len(sample)-7], 0o644)
	tests := []struct {
		name    string
		args    []string
		status  int
		stderr  string
		summary bool
	}{
		{"unknown flag", []string{"-nope"}, 2, "flag provided but not defined", false},
		{"bad limit", []string{"-max-flows", "0"}, 2, "must be positive", false},
		{"missing file", []string{filepath.Join(dir, "absent.pcap")}, 1, "no such file", false},
		{"not a capture", []string{junk}, 1, "not a pcap or pcapng capture", false},
		{"truncated capture", []string{"-json", cut}, 1, "cut.pcapng", true},
		{"truncated capture, flag after", []string{cut, "-json"}, 1, "cut.pcapng", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, out, errs := runMedscan(t, nil, tt.args...)
			if status != tt.status || !strings.Contains(errs, tt.stderr) {
				t.Fatalf("status %d stderr %q; want %d and %q", status, errs, tt.status, tt.stderr)
			}
			if tt.summary && out == "" {
				t.Error("nothing reported for what was read")
			}
			if !tt.summary && out != "" {
				t.Errorf("an empty report for an input that could not be read:\n%s", out)
			}
			if strings.Contains(out, "0001-01-01") {
				t.Errorf("a zero time in the report:\n%s", out)
			}
		})
	}
}

// TestCorpus runs medscan -json over every capture in the shared corpus.
func TestCorpus(t *testing.T) {
	dir := testutil.Corpus(t, "pcap")
	files, _ := filepath.Glob(filepath.Join(dir, "*.pcap*"))
	if len(files) == 0 {
		t.Skip("no captures in", dir)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			status, out, errs := runMedscan(t, nil, "-json", f)
			if status != 0 {
				t.Fatalf("status %d: %s", status, errs)
			}
			checkJSONLines(t, out)
		})
	}
}

// TestPHIFlag checks that patient data is hashed by default, shown with
// -phi keep and dropped with -phi drop, with the same hash for the same key.
func TestPHIFlag(t *testing.T) {
	key := filepath.Join(t.TempDir(), "key")
	os.WriteFile(key, []byte("site key\n"), 0o600)
	outs := map[string]string{}
	for _, args := range [][]string{{"-json"}, {"-json", "-phi", "keep"}, {"-json", "-phi", "drop"}, {"-json", "-phi-key-file", key}, {"-phi-key-file", key, "-json"}} {
		status, out, errs := runMedscan(t, nil, args...)
		if status != 0 {
			t.Fatalf("%v: status %d: %s", args, status, errs)
		}
		outs[strings.Join(args, " ")] = out
	}
	const id = "MRN100234" // the PatientID of the sample's C-FIND
	if strings.Contains(outs["-json"], id) || !strings.Contains(outs["-json -phi keep"], id) || strings.Contains(outs["-json -phi drop"], id) {
		t.Error("the patient ID is not hashed by default, kept with keep, or dropped with drop")
	}
	if !strings.Contains(outs["-json -phi drop"], `"PatientID":null`) {
		t.Error("-phi drop does not leave null in place of the value")
	}
	if outs["-json -phi-key-file "+key] != outs["-phi-key-file "+key+" -json"] {
		t.Error("the same key gives different hashes")
	}
	if status, _, _ := runMedscan(t, nil, "-phi", "maybe"); status != 2 {
		t.Errorf("a bad -phi: status %d, want 2", status)
	}
}

// TestSegmentation checks the three renderings of -segmentation on the
// sample: a JSON line of type segmentation after the summary, a table, and
// an nftables rule set.
func TestSegmentation(t *testing.T) {
	status, out, errs := runMedscan(t, nil, "-json", "-segmentation", "json")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var last map[string]any
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil || last["type"] != "segmentation" || last["advice"] == nil {
		t.Fatalf("last line %.200s (%v)", lines[len(lines)-1], err)
	}
	if _, out, _ := runMedscan(t, nil, "-segmentation", "table"); !strings.Contains(out, "SEGMENTATION") || !strings.Contains(out, "modality") {
		t.Errorf("table:\n%s", out)
	}
	if _, out, _ := runMedscan(t, nil, "-segmentation", "nft"); !strings.Contains(out, "table inet") {
		t.Errorf("nftables:\n%s", out)
	}
	if status, _, _ := runMedscan(t, nil, "-segmentation", "pdf"); status != 2 {
		t.Errorf("a bad -segmentation: status %d, want 2", status)
	}
}

// TestInventoryFile checks -inventory: a first run saves the devices, a
// second on another capture merges its devices in, and the file reads back.
func TestInventoryFile(t *testing.T) {
	inv := filepath.Join(t.TempDir(), "inventory.json")
	if status, _, errs := runMedscan(t, nil, "-inventory", inv); status != 0 || !strings.Contains(errs, "13 devices, 13 new") {
		t.Fatalf("first run: status %d, %s", status, errs)
	}
	smb := filepath.Join(testutil.RepoRoot(t), "netproto", "smb", "testdata", "smb.pcap")
	if status, _, errs := runMedscan(t, nil, "-inventory", inv, smb); status != 0 || !strings.Contains(errs, "15 devices, 2 new, 0 changed") {
		t.Fatalf("second run: status %d, %s", status, errs)
	}
	os.WriteFile(inv, []byte("not an inventory"), 0o644)
	if status, _, errs := runMedscan(t, nil, "-inventory", inv); status != 1 || !strings.Contains(errs, "bad snapshot") {
		t.Errorf("a broken inventory: status %d, %s", status, errs)
	}
}
