package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/medtap/medtap/internal/synth"
)

// TestMain runs medscan's main instead of the tests when the live test
// starts this binary as a subprocess.
func TestMain(m *testing.M) {
	if os.Getenv("MEDSCAN_RUN_MAIN") == "1" {
		os.Args = append([]string{"medscan"}, strings.Fields(os.Getenv("MEDSCAN_ARGS"))...)
		main()
	}
	os.Exit(m.Run())
}

// pcapRecords splits a pcap file into its global header and its records.
func pcapRecords(t *testing.T, b []byte) (header []byte, records [][]byte) {
	t.Helper()
	header, b = b[:24], b[24:]
	for len(b) >= 16 {
		n := int(binary.LittleEndian.Uint32(b[8:12]))
		records = append(records, b[:16+n])
		b = b[16+n:]
	}
	if len(b) != 0 || len(records) < 4 {
		t.Fatalf("not a little-endian pcap: %d records, %d bytes left", len(records), len(b))
	}
	return header, records
}

// TestLive pipes a capture slowly into medscan -json -, as tcpdump -U -w -
// does: JSON lines arrive while the pipe is still open, and SIGINT ends the
// run like the end of the input (flows ended, devices and the summary
// printed, exit status 0).
func TestLive(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	header, records := pcapRecords(t, synth.DICOMStore(3, 4096, 16384).Pcap())
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "MEDSCAN_RUN_MAIN=1", "MEDSCAN_ARGS=- -json")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1000)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	stdin.Write(header)
	half := len(records) / 2
	for _, r := range records[:half] {
		stdin.Write(r)
	}
	// The pipe stays open: the events of what was sent must come anyway.
	deadline := time.After(20 * time.Second)
	var before []string
	for len(before) == 0 || !strings.Contains(strings.Join(before, "\n"), `"kind":"associate-rq"`) {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("medscan ended early: %v", cmd.Wait())
			}
			before = append(before, l)
		case <-deadline:
			t.Fatalf("no association event before the end of the input; got %q", before)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	var after []string
	for l := range lines {
		after = append(after, l)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGINT: %v (want exit status 0)", err)
	}
	stdin.Close()
	all := append(before, after...)
	last := map[string]any{}
	if err := json.Unmarshal([]byte(all[len(all)-1]), &last); err != nil || last["type"] != "summary" {
		t.Fatalf("last line %q is not the summary (%v)", all[len(all)-1], err)
	}
	got := strings.Join(all, "\n")
	for _, want := range []string{`"type":"device"`, `"kind":"end"`, `"reason":"eof"`} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %s:\n%s", want, got)
		}
	}
	if n := last["packets"].(float64); n != float64(half) {
		t.Errorf("summary counts %v packets, %d were sent", n, half)
	}
}
