// Package pcaptest reads committed captures for tests: the frames and
// payloads for protocol packages' tests, and for adapters' tests golden
// files, decoded event lines and tshark's fields for the same frames. It
// imports nothing of medtap's, so protocol packages' tests stay free of
// the flow engine; package pcaptest/pcapflow runs captures through one.
package pcaptest

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// Frames returns the frames of the named classic pcap file (as tcpdump
// -w writes them), which it reads itself so that the tests of protocol
// packages depend on nothing of medtap's.
func Frames(tb testing.TB, name string) [][]byte {
	tb.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	if len(b) < 24 {
		tb.Fatalf("%s: not a pcap file", name)
	}
	var order binary.ByteOrder
	switch binary.LittleEndian.Uint32(b) {
	case 0xa1b2c3d4, 0xa1b23c4d:
		order = binary.LittleEndian
	case 0xd4c3b2a1, 0x4d3cb2a1:
		order = binary.BigEndian
	default:
		tb.Fatalf("%s: not a classic pcap file", name)
	}
	var out [][]byte
	for off := 24; off < len(b); {
		if off+16 > len(b) {
			tb.Fatalf("%s: truncated record header at %d", name, off)
		}
		n := int(order.Uint32(b[off+8:]))
		off += 16
		if n > len(b)-off {
			tb.Fatalf("%s: truncated record at %d", name, off)
		}
		out = append(out, b[off:off+n:off+n])
		off += n
	}
	return out
}

// EtherPayloads returns the payloads of the Ethernet frames of the named
// capture whose EtherType is etherType, or, for 802.3 frames with an
// LLC/SNAP header, whose SNAP protocol id is (0x2000 for CDP).
func EtherPayloads(tb testing.TB, name string, etherType uint16) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, f := range Frames(tb, name) {
		if len(f) < 14 {
			continue
		}
		t := binary.BigEndian.Uint16(f[12:])
		switch {
		case t == etherType:
			out = append(out, f[14:])
		case t <= 1500 && len(f) >= 22 && f[14] == 0xaa && f[15] == 0xaa && f[16] == 3 &&
			binary.BigEndian.Uint16(f[20:]) == etherType:
			out = append(out, f[22:min(len(f), 14+int(t))])
		}
	}
	return out
}

// UDPPayloads returns the UDP payloads of the IPv4 and IPv6 Ethernet
// frames of the named capture (no IPv6 extension headers, no fragments);
// other frames are skipped, and so is a datagram whose UDP length does not
// fit its frame.
func UDPPayloads(tb testing.TB, name string) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, f := range Frames(tb, name) {
		if len(f) < 14+40 {
			continue
		}
		ip := f[14:]
		var udp []byte
		switch binary.BigEndian.Uint16(f[12:]) {
		case 0x0800:
			if ip[9] == 17 {
				udp = ip[int(ip[0]&15)*4:]
			}
		case 0x86DD:
			if ip[6] == 17 {
				udp = ip[40:]
			}
		}
		if len(udp) < 8 {
			continue
		}
		if n := int(binary.BigEndian.Uint16(udp[4:])); n >= 8 && n <= len(udp) {
			out = append(out, udp[8:n])
		}
	}
	return out
}

// Decode returns the members of a JSON event line.
func Decode(tb testing.TB, line string) map[string]any {
	tb.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(line), &m); err != nil {
		tb.Fatalf("%v: %s", err, line)
	}
	return m
}

// Golden compares got with the file at path, or rewrites the file when
// update is set (go test -update).
func Golden(tb testing.TB, path, got string, update bool) {
	tb.Helper()
	if update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update)", err)
	}
	if string(want) == got {
		return
	}
	w, g := strings.Split(string(want), "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			tb.Errorf("%s differs (run go test -update to accept) at line %d:\nwant %s\ngot  %s", path, i+1, a, b)
			return
		}
	}
}

// Tshark runs tshark on the named capture with -T fields and the fields
// given, and returns one row of values per frame that has any of them
// (multiple occurrences joined by commas, as tshark prints them), keyed
// by frame number.
func Tshark(tb testing.TB, tshark, name, filter string, fields ...string) map[int][]string {
	tb.Helper()
	args := []string{"-n", "-r", name, "-Y", filter, "-T", "fields", "-E", "separator=\t", "-e", "frame.number"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		tb.Fatalf("tshark: %v", err)
	}
	rows := map[int][]string{}
	for line := range strings.Lines(string(out)) {
		f := strings.Split(strings.TrimRight(line, "\r\n"), "\t")
		n, err := strconv.Atoi(f[0])
		if err != nil {
			tb.Fatalf("tshark line %q", line)
		}
		rows[n] = append(f[1:], make([]string, len(fields)+1-len(f))...)
	}
	return rows
}

// Str returns a decoded JSON member as tshark prints a field: a string as
// it is, a number in decimal, an array joined by commas, nothing for nil.
func Str(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case []any:
		var s []string
		for _, x := range v {
			s = append(s, Str(x))
		}
		return strings.Join(s, ",")
	}
	return fmt.Sprint(v)
}

// Agreement counts what a comparison with a reference (tshark) checked.
type Agreement struct{ Events, Fields, Disagreements int }

// Check compares one field of an event with the reference's value,
// reporting a disagreement through tb.
func (a *Agreement) Check(tb testing.TB, frame int, field, got, want string) {
	tb.Helper()
	a.Fields++
	if got != want {
		a.Disagreements++
		tb.Errorf("frame %d %s: %q, tshark %q", frame, field, got, want)
	}
}

// String returns the counts in the words the tests log them with.
func (a *Agreement) String() string {
	return fmt.Sprintf("%d events, %d fields compared, %d disagreements", a.Events, a.Fields, a.Disagreements)
}
