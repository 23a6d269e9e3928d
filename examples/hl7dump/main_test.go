package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medtap/medtap/internal/testutil"
	"github.com/medtap/medtap/mllp"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func runCmd(t *testing.T, name string, jsonOut bool, get string, stdin string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(name, jsonOut, get, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestGolden(t *testing.T) {
	dir := testutil.Corpus(t, "hl7")
	tests := []struct {
		file, golden string
		json         bool
		get          string
		code         int
	}{
		{"python-hl7-sample_hl7.hl7", "sample.golden", false, "", 0},
		{"lenaten-epic-oru-r01.hl7", "epic.golden", false, "", 0},
		{"python-hl7-sample_file1.hl7", "file1.json.golden", true, "", 0},
		{"python-hl7-sample_file1.hl7", "file1.get.golden", false, "PID-3-1", 0},
		{"python-hl7-sample_bad_file2.hl7", "bad_file2.golden", false, "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			out, errOut, code := runCmd(t, filepath.Join(dir, tt.file), tt.json, tt.get, "")
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, errOut)
			}
			checkGolden(t, tt.golden, out+errOut)
			if tt.json {
				for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
					if !json.Valid([]byte(line)) {
						t.Errorf("invalid JSON line %s", line)
					}
				}
			}
		})
	}
}

func TestStdinAndMLLP(t *testing.T) {
	msg := "MSH|^~\\&|A|B|C|D|1||ADT^A01|X1|P|2.5||||||8859/1\rPID|1||7||M\xfcller^J\\S\\r\r"
	stream := "junk" + string(mllp.AppendFrame(nil, []byte(msg))) + "\x0b\x06\x1c\r" + string(mllp.AppendFrame(nil, []byte(strings.Replace(msg, "X1", "X2", 1))))
	out, errOut, code := runCmd(t, "-", false, "PID-5", stream)
	if code != 0 || out != "Müller^J^r\nMüller^J^r\n" {
		t.Errorf("got %q %q %d", out, errOut, code)
	}
	out, _, code = runCmd(t, "-", false, "MSH-10", msg)
	if code != 0 || out != "X1\n" {
		t.Errorf("plain stdin: %q %d", out, code)
	}
	_, errOut, code = runCmd(t, "-", false, "PID-", msg)
	if code != 2 || !strings.Contains(errOut, "invalid path") {
		t.Errorf("bad path: %q %d", errOut, code)
	}
	_, errOut, code = runCmd(t, "-", false, "", "\x0bMSH|^~\\&|A\rbad segment\r\x1c\r")
	if code != 1 || !strings.Contains(errOut, "invalid segment name at offset 12") {
		t.Errorf("bad frame: %q %d", errOut, code)
	}
}

// TestNoMessages: an input in which no message is found is reported on
// stderr, with exit status 1, whatever form it has.
func TestNoMessages(t *testing.T) {
	tests := []struct {
		golden string
		stdin  string
	}{
		{"none-empty.golden", ""},
		{"none-text.golden", "hello\n"},
		{"none-mllp.golden", "\x0bhello\x1c\r"},
		{"none-commit-ack.golden", "\x0b\x06\x1c\r"}, // an MLLP commit ACK only
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			out, errOut, code := runCmd(t, "-", false, "", tt.stdin)
			if code != 1 || out != "" {
				t.Errorf("exit %d, stdout %q", code, out)
			}
			checkGolden(t, tt.golden, errOut)
		})
	}
}

func TestCaptureWithoutHL7(t *testing.T) {
	dir := testutil.Corpus(t, "pcap")
	name := filepath.Join(dir, "tapirx-dicom_arq_1_find_testclient.pcap")
	out, errOut, code := runCmd(t, name, false, "", "")
	want := "hl7dump: no HL7 messages found in " + name + " (a capture; HL7 was looked for in every TCP flow)\n"
	if code != 1 || out != "" || errOut != want {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden := filepath.Join("testdata", name)
	if *update {
		os.WriteFile(golden, []byte(got), 0o644)
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s:\n%s", golden, got)
	}
}

func TestCapture(t *testing.T) {
	dir := testutil.Corpus(t, "pcap")
	out, errOut, code := runCmd(t, filepath.Join(dir, "tapirx-HL7-ORU.pcap"), false, "MSH-10", "")
	if code != 0 || out != "59689\n20180129192911.446\n" {
		t.Errorf("got %q %q %d", out, errOut, code)
	}
}
