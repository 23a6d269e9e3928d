package dnsmsg

import (
	"strings"
	"testing"
)

// nameAt returns the name of the first question of msg.
func firstName(t *testing.T, msg []byte) Name {
	t.Helper()
	var p Parser
	p.Start(msg)
	if !p.Next() {
		t.Fatalf("no entry: %v", p.Err())
	}
	if p.Section() == SectionQuestion {
		return p.Question().Name
	}
	return p.Resource().Name
}

func TestNameAppendTo(t *testing.T) {
	tests := []struct {
		labels []string
		want   string
	}{
		{nil, "."},
		{[]string{"mtnm-ct1", "local"}, "mtnm-ct1.local"},
		{[]string{"CT Scanner", "_dicom", "_tcp", "local"}, "CT Scanner._dicom._tcp.local"},
		{[]string{"Dr. Who's Mac", "_ssh", "_tcp", "local"}, `Dr\. Who's Mac._ssh._tcp.local`},
		{[]string{`back\slash`, "local"}, `back\\slash.local`},
		{[]string{"tab\there\x7f", "local"}, `tab\009here\127.local`},
		{[]string{"Büro-Drucker", "local"}, "Büro-Drucker.local"},
	}
	for _, tt := range tests {
		b := newBuilder(0, 0)
		b.counts[0] = 1
		for _, l := range tt.labels {
			b.bytes(byte(len(l))).bytes([]byte(l)...)
		}
		msg := append(b.bytes(0).msg(), 0, 1, 0, 1)
		n := firstName(t, msg)
		if got := string(n.AppendTo([]byte("x"))); got != "x"+tt.want {
			t.Errorf("%q: got %q, want %q", tt.labels, got[1:], tt.want)
		}
		var got []string
		for l := n.Labels(); l.Next(); {
			got = append(got, string(l.Label()))
		}
		if strings.Join(got, "|") != strings.Join(tt.labels, "|") {
			t.Errorf("labels %q, want %q", got, tt.labels)
		}
	}
	if s := (Name{}).AppendTo(nil); len(s) != 0 {
		t.Errorf("zero Name appends %q", s)
	}
}

func TestNameCompare(t *testing.T) {
	msg := announcement()
	var p Parser
	p.Start(msg)
	var names []Name
	for p.Next() {
		names = append(names, p.Resource().Name)
	}
	txt, srv, host := names[0], names[3], names[4]
	if !txt.Equal(srv) || txt.Equal(host) || host.Equal(Name{}) || !(Name{}).Equal(Name{}) {
		t.Error("Equal")
	}
	for _, tt := range []struct {
		n    Name
		s    string
		want bool
	}{
		{host, "mtnm-ct1.local", true},
		{host, "MTNM-CT1.Local.", true},
		{host, "mtnm-ct1.local..", false},
		{host, "mtnm-ct1", false},
		{host, "mtnm-ct1.locals", false},
		{host, "mtnm-ct1.local.x", false},
		{srv, "CT Scanner._dicom._tcp.local", true},
		{Name{}, "", false},
	} {
		if got := tt.n.EqualString(tt.s); got != tt.want {
			t.Errorf("%v.EqualString(%q) = %v", tt.n, tt.s, got)
		}
	}
	var l Labels = srv.Labels()
	l.Next()
	l.Next()
	if got := l.Rest().String(); got != "_dicom._tcp.local" {
		t.Errorf("Rest = %q", got)
	}
}

func TestService(t *testing.T) {
	tests := []struct {
		name                   string
		ok                     bool
		instance, subtype, typ string
	}{
		{"_dicom._tcp.local", true, "", "", "_dicom._tcp.local"},
		{"CT Scanner._dicom._tcp.local", true, "CT Scanner", "", "_dicom._tcp.local"},
		{"_printer._sub._http._tcp.local", true, "", "_printer", "_http._tcp.local"},
		{"mtnm-ct1 [02:00:0a:d7:00:02]._workstation._tcp.local", true, "mtnm-ct1 [02:00:0a:d7:00:02]", "", "_workstation._tcp.local"},
		{"Lab._ipp._UDP.local", true, "Lab", "", "_ipp._UDP.local"},
		{"_services._dns-sd._udp.local", false, "", "", ""},
		{"mtnm-ct1.local", false, "", "", ""},
		{"2.0.215.10.in-addr.arpa", false, "", "", ""},
		{"_tcp.local", false, "", "", ""},
		{"a.b._http.local", false, "", "", ""},
		{"", false, "", "", ""},
	}
	for _, tt := range tests {
		b := newBuilder(0, 0).question(tt.name, TypePTR, 1)
		s, ok := firstName(t, b.msg()).Service()
		if ok != tt.ok || string(s.Instance) != tt.instance || string(s.Subtype) != tt.subtype || (ok && s.Type.String() != tt.typ) {
			t.Errorf("%q: got %v %q %q %v", tt.name, ok, s.Instance, s.Subtype, s.Type)
		}
		if ok && tt.instance == "" && s.Instance != nil {
			t.Errorf("%q: Instance not nil for a service type", tt.name)
		}
	}
}
