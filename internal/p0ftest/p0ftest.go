// Package p0ftest runs p0f, the passive OS fingerprinting tool, over a
// capture and returns the TCP signatures it prints, for the tests that
// compare medtap's signatures with p0f's.
package p0ftest

import (
	"bufio"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medtap/medtap/internal/testutil"
)

// Sig is one SYN or SYN+ACK signature p0f printed.
type Sig struct {
	// SYNACK is false for a SYN (p0f's "mod=syn"), true for a SYN+ACK
	// ("mod=syn+ack").
	SYNACK bool
	// Client and Server are the flow's endpoints: the SYN's sender and
	// receiver.
	Client, Server netip.AddrPort
	RawSig         string // p0f's raw_sig
}

// Tool returns the path of p0f (Debian installs it in /usr/sbin, which a
// user's PATH may lack), or skips the test.
func Tool(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("p0f"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/p0f"); err == nil {
		return "/usr/sbin/p0f"
	}
	return testutil.Tool(t, "p0f", "p0f")
}

// Run runs `p0f -r file -o log` (with `-f db` when db is not "") and
// returns the SYN and SYN+ACK signatures of its log, in the order it
// printed them.
func Run(t testing.TB, p0f, file, db string) []Sig {
	t.Helper()
	log := filepath.Join(t.TempDir(), "p0f.log")
	args := []string{"-r", file, "-o", log}
	if db != "" {
		args = append(args, "-f", db)
	}
	out, err := exec.Command(p0f, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("p0f -r %s: %v\n%s", file, err, out)
	}
	f, err := os.Open(log)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var sigs []Sig
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// [2026/01/02 03:04:05] mod=syn|cli=10.0.0.1/40000|srv=10.0.0.2/80|subj=cli|os=...|raw_sig=4:64+0:...
		line := sc.Text()
		_, rest, ok := strings.Cut(line, "] ")
		if !ok {
			t.Fatalf("p0f log line without a time: %q", line)
		}
		fields := map[string]string{}
		for kv := range strings.SplitSeq(rest, "|") {
			k, v, _ := strings.Cut(kv, "=")
			fields[k] = v
		}
		var s Sig
		switch fields["mod"] {
		case "syn":
		case "syn+ack":
			s.SYNACK = true
		default:
			continue
		}
		s.Client = parseEndpoint(t, fields["cli"])
		s.Server = parseEndpoint(t, fields["srv"])
		s.RawSig = fields["raw_sig"]
		if s.RawSig == "" {
			t.Fatalf("p0f log line without raw_sig: %q", line)
		}
		sigs = append(sigs, s)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return sigs
}

// DefaultDB is the fingerprint database of Debian's p0f package.
const DefaultDB = "/etc/p0f/p0f.fp"

// NoToolsDB writes a copy of DefaultDB without the TCP signatures of
// userland tools (labels "s:!:...", nmap's SYN scan and OS detection) and
// returns its name. p0f stops following a flow whose SYN matches such a
// signature and so never prints its SYN+ACK; with this database it prints
// them all.
func NoToolsDB(t testing.TB) string {
	t.Helper()
	in, err := os.ReadFile(DefaultDB)
	if err != nil {
		t.Skipf("p0f's database: %v", err)
	}
	var out []string
	section, skip := "", false
	for line := range strings.Lines(string(in)) {
		switch {
		case strings.HasPrefix(line, "["):
			section, skip = line, false
		case strings.HasPrefix(line, "label"):
			skip = strings.HasPrefix(section, "[tcp:") && strings.Contains(line, ":!:")
		}
		if !skip {
			out = append(out, line)
		}
	}
	name := filepath.Join(t.TempDir(), "p0f-notools.fp")
	if err := os.WriteFile(name, []byte(strings.Join(out, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// parseEndpoint parses p0f's "addr/port" (IPv6 addresses in full, without
// leading zeros).
func parseEndpoint(t testing.TB, s string) netip.AddrPort {
	t.Helper()
	i := strings.LastIndexByte(s, '/')
	if i < 0 {
		t.Fatalf("p0f endpoint %q", s)
	}
	ap, err := netip.ParseAddrPort("[" + s[:i] + "]:" + s[i+1:])
	if err != nil {
		// IPv4 does not take brackets.
		ap, err = netip.ParseAddrPort(s[:i] + ":" + s[i+1:])
	}
	if err != nil {
		t.Fatalf("p0f endpoint %q: %v", s, err)
	}
	return ap
}
