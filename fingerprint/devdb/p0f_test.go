package devdb

import (
	"errors"
	"os"
	"strings"
	"testing"
)

const p0fSample = `; a p0f.fp-style file
classes = win,unix,other

[mtu]
label = Ethernet or modem
sig   = 1500

[tcp:request]
label = s:unix:Linux:3.11 and newer
sig   = *:64:0:*:mss*20,10:mss,sok,ts,nop,ws:df,id+:0
sig   = *:64:0:*:mss*20,7:mss,sok,ts,nop,ws:df,id+:0

label = s:win:Windows:7 or 8
sig   = *:128:0:*:8192,8:mss,nop,ws,nop,nop,sok:df,id+:0

label = s:!:NMap:SYN scan
sys   = @unix,@win
sig   = *:64-:0:1460:1024,0:mss::0

[tcp:response]
label = g:unix:Linux:3.x
sig   = *:64:0:*:mss*10,0:mss:df:0

[http:request]
label = s:!:Firefox:10.x or newer
sig   = *:Host,User-Agent:Accept-Encoding:Firefox/
`

func TestLoadP0F(t *testing.T) {
	db, err := LoadP0F(strings.NewReader(p0fSample), "p0f.fp")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range db.Entries() {
		got = append(got, e.ID+"="+e.Kind.String()+":"+e.OS+e.Product)
	}
	want := "p0f.request.linux-3.11-and-newer=os:Linux 3.11 and newer p0f.request.windows-7-or-8=os:Windows 7 or 8 " +
		"p0f.request.nmap-syn-scan=software:NMap SYN scan p0f.response.linux-3.x=os:Linux 3.x"
	if strings.Join(got, " ") != want {
		t.Errorf("entries\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
	for _, c := range []struct{ raw, want string }{
		{"4:64+0:0:1460:mss*20,7:mss,sok,ts,nop,ws:df,id+:0", "Linux 3.11 and newer"},
		{"4:57+7:0:1460:mss*20,10:mss,sok,ts,nop,ws:df,id+:0", "Linux 3.11 and newer"},
		{"4:128+0:0:1460:8192,8:mss,nop,ws,nop,nop,sok:df,id+:0", "Windows 7 or 8"},
		{"4:113+15:0:1380:8192,8:mss,nop,ws,nop,nop,sok:df,id+:0", "Windows 7 or 8"},
		{"6:64+0:0:1440:mss*10,0:mss:df:0", "Linux 3.x"},
		{"4:64+0:0:1460:mss*21,7:mss,sok,ts,nop,ws:df,id+:0", ""},
		{"4:128+0:0:1460:8192,8:mss,nop,ws,nop,nop,sok:df:0", ""},
	} {
		r := Summarize(db.Match(&Evidence{P0F: c.raw}, nil))
		if r.OS != c.want {
			t.Errorf("%s: OS %q, want %q", c.raw, r.OS, c.want)
		}
	}
	// Randomised TTL ("64-"): any TTL up to 64.
	if ms := db.Match(&Evidence{P0F: "4:13+?:0:1460:1024,0:mss::0"}, nil); len(ms) != 1 || ms[0].Entry.Product != "NMap SYN scan" {
		t.Errorf("nmap: %v", ids(ms))
	}
	if ms := db.Match(&Evidence{P0F: "4:13+?:0:1460:1024,0:mss::+"}, nil); len(ms) != 0 {
		t.Errorf("payload class ignored: %v", ids(ms))
	}
}

func TestLoadP0FErrors(t *testing.T) {
	for _, c := range []struct {
		in        string
		line, col int
	}{
		{"[tcp:request]\nlabel = x:unix:Linux:3\n", 2, 9},
		{"[tcp:request]\nsig = *:64:0:*:mss*20,10:mss:df:0\n", 2, 1},
		{"[tcp:request]\nlabel = s:unix:Linux:3\nsig = *:64:0:*:mss*20:mss:df:0\n", 3, 7},
		{"[tcp:request]\nlabel = s:unix:Linux:3\nsig   =  *:999:0:*:mss*20,1:mss:df:0\n", 3, 10},
		{"[tcp:request\n", 1, 1},
		{"[tcp:request]\njunk\n", 2, 1},
	} {
		_, err := LoadP0F(strings.NewReader(c.in), "p.fp")
		var e *Error
		if !errors.As(err, &e) || e.Line != c.line || e.Column != c.col {
			t.Errorf("%q: %v, want line %d column %d", c.in, err, c.line, c.col)
		}
	}
}

// TestSystemP0F reads the p0f.fp Debian's p0f installs, when there is
// one, and checks signatures of its own labels match.
func TestSystemP0F(t *testing.T) {
	f, err := os.Open("/etc/p0f/p0f.fp")
	if err != nil {
		t.Skip("no /etc/p0f/p0f.fp (Debian package p0f)")
	}
	defer f.Close()
	db, err := LoadP0F(f, "/etc/p0f/p0f.fp")
	if err != nil {
		t.Fatal(err)
	}
	if db.Len() < 50 {
		t.Fatalf("%d entries", db.Len())
	}
	// Each signature written as a raw_sig a packet could give matches its
	// own label.
	checked := 0
	for _, e := range db.Entries() {
		for _, x := range e.Tests {
			raw, ok := rawFromSig(x.Value)
			if !ok {
				continue
			}
			found := false
			for _, m := range db.Match(&Evidence{P0F: raw}, nil) {
				found = found || m.Entry == e
			}
			if !found {
				t.Errorf("%s: raw %s (from %s) does not match its label", e.ID, raw, x.Value)
			}
			checked++
		}
	}
	if checked < 100 {
		t.Errorf("only %d signatures checked", checked)
	}
	if err := Default().Merge(db); err != nil {
		t.Errorf("merge with the default database: %v", err)
	}
}

// rawFromSig makes a raw_sig that a signature without wildcards in the
// window matches: version 4, TTL = initial TTL, MSS 1460 when '*'.
func rawFromSig(sig string) (string, bool) {
	f := strings.Split(sig, ":")
	if len(f) != 8 {
		return "", false
	}
	if f[0] == "*" {
		f[0] = "4"
	}
	if f[0] == "6" && f[3] == "*" {
		return "", false
	}
	f[1] = strings.TrimSuffix(f[1], "-") + "+0"
	if f[3] == "*" {
		f[3] = "1460"
	}
	ws, sc, _ := strings.Cut(f[4], ",")
	if ws == "*" || strings.HasPrefix(ws, "%") {
		ws = "65535"
		if strings.HasPrefix(f[4], "%") {
			ws = f[4][1:strings.Index(f[4], ",")]
		}
	}
	if sc == "*" {
		sc = "0"
	}
	f[4] = ws + "," + sc
	if f[7] == "*" {
		f[7] = "0"
	}
	return strings.Join(f, ":"), true
}
