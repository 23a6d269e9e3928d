package flow

import (
	"errors"
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/medtap/medtap/internal/pkttest"
)

func TestNewEngineUnknownProtocol(t *testing.T) {
	if _, err := NewEngine(Config{Protocols: []string{"test-tcp", "no-such-protocol"}}, nil); err == nil ||
		!strings.Contains(err.Error(), `"no-such-protocol" is not registered`) || !strings.Contains(err.Error(), "test-tcp") {
		t.Fatalf("err = %v, want one naming the unknown protocol and the registered ones", err)
	}
	if _, err := NewEngine(Config{Protocols: []string{}}, nil); err != nil {
		t.Fatalf("no protocols: %v", err)
	}
}

// TestStatsAll checks that Stats.All yields every counter of Stats, once,
// in field order, with its value.
func TestStatsAll(t *testing.T) {
	var s Stats
	v := reflect.ValueOf(&s).Elem()
	var fields []string
	for i := range v.NumField() {
		if v.Field(i).Kind() == reflect.Uint64 {
			v.Field(i).SetUint(uint64(100 + i))
			fields = append(fields, fmt.Sprintf("%s=%d", v.Type().Field(i).Name, 100+i))
		}
	}
	var got []string
	for name, n := range s.All() {
		got = append(got, fmt.Sprintf("%s=%d", strings.ReplaceAll(name, "_", ""), n))
	}
	if len(got) != len(fields) {
		t.Fatalf("All yields %d counters, Stats has %d", len(got), len(fields))
	}
	for i := range got {
		if !strings.EqualFold(got[i], fields[i]) {
			t.Errorf("counter %d: All yields %s, field is %s", i, got[i], fields[i])
		}
	}
	for range s.All() {
		break // a consumer may stop early
	}
}

type offsetErr struct{ off int64 }

func (e *offsetErr) Error() string     { return "bad" }
func (e *offsetErr) ByteOffset() int64 { return e.off }

func TestErrorOffset(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want int64
	}{
		{&offsetErr{7}, 7},
		{fmt.Errorf("wrapped: %w", &offsetErr{9}), 9},
		{errors.New("plain"), -1},
		{nil, -1},
	} {
		if got := ErrorOffset(tt.err); got != tt.want {
			t.Errorf("ErrorOffset(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

func TestAppendEventJSON(t *testing.T) {
	e := &Event{
		Time: pkttest.T0, Protocol: ProtocolFlow, Kind: KindStart,
		Src: netip.MustParseAddrPort("10.0.0.1:40000"), Dst: netip.MustParseAddrPort("[fe80::1]:104"),
		Detail: &FlowInfo{Transport: TCP, Protocol: "dicom"},
	}
	want := `{"type":"event","ts":"2026-01-02T03:04:05.000000000Z","proto":"flow","kind":"start","src":"10.0.0.1:40000","dst":"[fe80::1]:104","transport":"tcp","app":"dicom"}`
	buf := make([]byte, 0, 512)
	if got := string(AppendEventJSON(buf, e)); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if pkttest.RaceEnabled {
		return
	}
	if n := testing.AllocsPerRun(100, func() { buf = AppendEventJSON(buf[:0], e) }); n != 0 {
		t.Errorf("AppendEventJSON allocates %.1f times", n)
	}
}
