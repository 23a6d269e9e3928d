package detect_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/loginflow"
)

var t0 = time.Date(2026, 11, 29, 6, 0, 0, 0, time.UTC)

func ap(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

// collect is an AlertSink keeping copies of the alerts.
type collect struct{ alerts []detect.Alert }

func (c *collect) Alert(a *detect.Alert) {
	b := *a
	b.Evidence = append([]detect.Field(nil), a.Evidence...)
	c.alerts = append(c.alerts, b)
}

func newEngine(t testing.TB, cfg detect.Config, ds ...detect.Detector) (*detect.Engine, *collect) {
	t.Helper()
	var c collect
	if ds == nil {
		ds = detect.Default()
	}
	e, err := detect.NewEngine(cfg, &c, ds)
	if err != nil {
		t.Fatal(err)
	}
	return e, &c
}

func login(ts time.Time, src, dst string, user string, dflt bool, out loginflow.Outcome) *flow.Event {
	return &flow.Event{
		Time: ts, Src: ap(src), Dst: ap(dst), Protocol: "ftp", Kind: loginflow.KindLogin,
		Detail: &loginflow.Login{Protocol: "ftp", User: []byte(user), DefaultCredential: dflt, Outcome: out},
	}
}

func TestDedupWindow(t *testing.T) {
	e, c := newEngine(t, detect.Config{Window: time.Minute})
	for i := range 5 { // five logins within the window: one alert, then a count
		e.Event(login(t0.Add(time.Duration(i)*time.Second), "10.0.0.1:4000", "10.0.0.2:21", "bob", false, loginflow.Success))
	}
	e.Event(login(t0.Add(10*time.Second), "10.0.0.1:4001", "10.0.0.2:21", "admin", true, loginflow.Success)) // high: apart
	e.Event(login(t0.Add(2*time.Minute), "10.0.0.1:4002", "10.0.0.2:21", "bob", false, loginflow.Success))   // a new window
	e.Flush()
	type got struct {
		sev   string
		count int
		ts    time.Time
	}
	var gs []got
	for _, a := range c.alerts {
		if a.ID != "cleartext.credentials" {
			t.Fatalf("alert %s", a.ID)
		}
		gs = append(gs, got{a.Severity.String(), a.Count, a.Time})
	}
	want := []got{
		{"medium", 1, t0},
		{"high", 1, t0.Add(10 * time.Second)},
		{"medium", 4, t0.Add(time.Second)},     // the window's repeats, emitted when it passed
		{"medium", 1, t0.Add(2 * time.Minute)}, // the new window's first
	}
	if len(gs) != len(want) {
		t.Fatalf("alerts %+v, want %+v", gs, want)
	}
	for i := range want {
		if gs[i] != want[i] {
			t.Errorf("alert %d: %+v, want %+v", i, gs[i], want[i])
		}
	}
	st := e.Stats()
	if st.Raised != 7 || st.Suppressed != 4 || st.Emitted != 4 || st.ByRule["cleartext.credentials"] != 7 {
		t.Errorf("stats %+v", st)
	}
	if c.alerts[1].Field("default_credential") != "true" || c.alerts[0].Field("user") != "bob" {
		t.Errorf("evidence %+v %+v", c.alerts[0].Evidence, c.alerts[1].Evidence)
	}
}

func TestAlertJSON(t *testing.T) {
	e, c := newEngine(t, detect.Config{})
	e.Event(login(t0, "10.0.0.1:4000", "10.0.0.2:21", "admin", true, loginflow.Success))
	if len(c.alerts) != 1 {
		t.Fatalf("%d alerts", len(c.alerts))
	}
	a := c.alerts[0]
	a.SrcDevice = detect.Device{Class: "workstation"}
	line := a.AppendJSON(nil)
	want := `{"type":"alert","ts":"2026-11-29T06:00:00.000000000Z","id":"cleartext.credentials","severity":"high","src":"10.0.0.1:4000","dst":"10.0.0.2:21","src_device":{"class":"workstation"},"summary":"ftp login in clear text with a known default credential","evidence":{"protocol":"ftp","user":"admin","outcome":"success","default_credential":"true"},"technique":"T0812 Default Credentials","count":1}`
	if string(line) != want {
		t.Errorf("got  %s\nwant %s", line, want)
	}
	if !json.Valid(line) {
		t.Error("not valid JSON")
	}
}

func TestConfig(t *testing.T) {
	cfg, err := detect.ReadConfig(strings.NewReader(`{"window":"10m","rules":{"cleartext.credentials":{"enabled":false}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Window != 10*time.Minute || !cfg.Rules["cleartext.credentials"].Disabled {
		t.Fatalf("%+v", cfg)
	}
	e, c := newEngine(t, cfg)
	e.Event(login(t0, "10.0.0.1:4000", "10.0.0.2:21", "admin", true, loginflow.Success))
	e.Flush()
	if len(c.alerts) != 0 {
		t.Errorf("disabled rule raised %+v", c.alerts)
	}

	sev := detect.Critical
	e, c = newEngine(t, detect.Config{Rules: map[string]detect.RuleConfig{"cleartext.credentials": {Severity: &sev}}})
	e.Event(login(t0, "10.0.0.1:4000", "10.0.0.2:21", "bob", false, loginflow.Failure))
	if len(c.alerts) != 1 || c.alerts[0].Severity != detect.Critical {
		t.Errorf("configured severity: %+v", c.alerts)
	}

	for _, bad := range []struct{ cfg, err string }{
		{`{"rules":{"no.such-rule":{}}}`, `no rule "no.such-rule"`},
		{`{"rules":{"cleartext.credentials":{"params":{"x":1}}}}`, `has no parameter "x"`},
	} {
		cfg, err := detect.ReadConfig(strings.NewReader(bad.cfg))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := detect.NewEngine(cfg, nil, nil); err == nil || !strings.Contains(err.Error(), bad.err) {
			t.Errorf("%s: error %v, want %q", bad.cfg, err, bad.err)
		}
	}
}

func TestReadConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		in         string
		line, col  int
		errContain string
	}{
		{"{\n  \"window\": \"1h\",\n  \"rules\": {\"x\": {\"enabled\": 3}}\n}", 3, 30, "want true or false"},
		{"{\n  \"windw\": \"1h\"\n}", 2, 3, `unknown member "windw"`},
		{"{\n  \"window\": \"1 hour\"\n}", 2, 13, "invalid duration"},
		{"{\n  \"rules\": {\n", 3, 1, "unexpected end"},
		{"{} {}", 1, 4, "data after"},
		{"{\"rules\":{\"a\":{\"severity\":\"urgent\"}}}", 1, 27, "unknown severity"},
	} {
		_, err := detect.ReadConfig(strings.NewReader(tc.in))
		var ce *detect.ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("%q: error %v, want a ConfigError", tc.in, err)
			continue
		}
		if ce.Line != tc.line || ce.Column != tc.col || !strings.Contains(err.Error(), tc.errContain) {
			t.Errorf("%q: %v (line %d col %d), want line %d col %d %q", tc.in, err, ce.Line, ce.Column, tc.line, tc.col, tc.errContain)
		}
	}
}

func TestMaxAlertKeys(t *testing.T) {
	e, c := newEngine(t, detect.Config{MaxAlertKeys: 4})
	for i := range 100 {
		src := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, 1, byte(i)}), 4000)
		for j := range 3 {
			ev := login(t0.Add(time.Duration(i*3+j)*time.Millisecond), src.String(), "10.0.0.2:21", "bob", false, loginflow.Success)
			e.Event(ev)
		}
	}
	e.Flush()
	st := e.Stats()
	if st.KeysEvicted != 96 {
		t.Errorf("evicted %d keys, want 96", st.KeysEvicted)
	}
	total := 0
	for _, a := range c.alerts {
		total += a.Count
	}
	if total != 300 {
		t.Errorf("counts add up to %d, want 300 (nothing lost at eviction)", total)
	}
}

func TestTable(t *testing.T) {
	tb := detect.NewTable[int, int](3)
	var evicted []int
	tb.OnEvict = func(k int, v *int) { evicted = append(evicted, k) }
	for i := range 5 {
		v, isNew := tb.Put(i)
		if !isNew {
			t.Fatal("not new")
		}
		*v = i * 10
		if i == 2 {
			tb.Get(0) // 0 is now the most recent: 1 goes first
		}
	}
	if tb.Len() != 3 || tb.Evicted() != 2 {
		t.Fatalf("len %d evicted %d", tb.Len(), tb.Evicted())
	}
	if len(evicted) != 2 || evicted[0] != 1 || evicted[1] != 2 {
		t.Errorf("evicted %v, want [1 2]", evicted)
	}
	var keys []int
	tb.All(func(k int, v *int) bool {
		if *v != k*10 {
			t.Errorf("%d: %d", k, *v)
		}
		keys = append(keys, k)
		return true
	})
	if len(keys) != 3 || keys[0] != 4 || keys[1] != 3 || keys[2] != 0 {
		t.Errorf("order %v, want [4 3 0]", keys)
	}
	if n := testing.AllocsPerRun(1000, func() {
		v, _ := tb.Put(int(tb.Evicted()) + 100)
		*v = 1
	}); n != 0 {
		t.Errorf("Put on a full table: %v allocs", n)
	}
}

func TestBaselineFile(t *testing.T) {
	e, _ := newEngine(t, detect.Config{})
	var buf bytes.Buffer
	if _, err := e.WriteBaseline(&buf); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(buf.Bytes()) {
		t.Fatalf("baseline not JSON: %s", buf.Bytes())
	}
	if err := e.ReadBaseline(bytes.NewReader(buf.Bytes()), 0); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{``, `{"format":"x","version":1}`, `{"format":"medtap-baseline","version":9}`, `{"format":`} {
		if err := e.ReadBaseline(strings.NewReader(bad), 0); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if err := e.ReadBaseline(strings.NewReader(strings.Repeat(" ", 100)), 10); !errors.Is(err, detect.ErrBaselineTooLarge) {
		t.Errorf("over the limit: %v", err)
	}
}

// A flood of distinct alerts keeps the de-duplication table at its cap,
// evicting the oldest window first, and loses no count.
func TestAlertKeyFlood(t *testing.T) {
	e, c := newEngine(t, detect.Config{MaxAlertKeys: 1024})
	const n = 200000
	for i := range n {
		src := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), 4000)
		e.Event(login(t0.Add(time.Duration(i)*time.Microsecond), src.String(), "10.0.0.2:21", "bob", false, loginflow.Success))
		if i%1000 == 0 { // one source keeps coming back: its entry is refreshed only by a new window
			e.Event(login(t0.Add(time.Duration(i)*time.Microsecond), "10.255.0.1:4000", "10.0.0.2:21", "bob", false, loginflow.Success))
		}
	}
	e.Flush()
	st := e.Stats()
	if st.AlertKeys > 1024 || st.KeysEvicted < n-1024 {
		t.Errorf("stats %+v", st)
	}
	total := 0
	for _, a := range c.alerts {
		total += a.Count
	}
	if total != n+n/1000 {
		t.Errorf("counts add up to %d, want %d", total, n+n/1000)
	}
}

// The README lists every rule of the default set.
func TestREADMEListsRules(t *testing.T) {
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range detect.Default() {
		for _, r := range d.Rules() {
			if !strings.Contains(string(data), "| `"+r.ID+"` |") {
				t.Errorf("README.md does not list rule %s", r.ID)
			}
		}
	}
}
