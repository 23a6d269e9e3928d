package dnsevent_test

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/internal/udptest"
	"github.com/medtap/medtap/flow/llmnrflow"
	"github.com/medtap/medtap/flow/mdnsflow"
	"github.com/medtap/medtap/internal/testutil"
	"github.com/medtap/medtap/netproto/dnsmsg"
)

// tsharkFields are the fields compared, in the order tshark prints them.
var tsharkFields = []string{"dns.id", "dns.flags.truncated", "dns.flags.opcode", "dns.flags.rcode",
	"dns.flags.conflict", "dns.flags.tentative", "dns.qry.name", "dns.qry.type", "dns.qry.qu",
	"dns.resp.name", "dns.srv.service", "dns.srv.proto", "dns.srv.name", "dns.resp.type", "dns.resp.ttl", "dns.resp.cache_flush", "dns.a", "dns.aaaa",
	"dns.ptr.domain_name", "dns.srv.target", "dns.srv.port", "dns.srv.priority", "dns.srv.weight",
	"dns.txt", "dns.hinfo.cpu", "dns.hinfo.os", "dns.nsec.next_domain_name"}

// tshark returns, for each frame of file, each field's values.
func tshark(t *testing.T, file string) []map[string][]string {
	tool := testutil.Tool(t, "tshark", "tshark")
	args := []string{"-n", "-r", file, "-T", "fields", "-E", "aggregator=|"}
	for _, f := range tsharkFields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(tool, args...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	var frames []map[string][]string
	for _, line := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		cols := strings.Split(line, "\t")
		m := map[string][]string{}
		for i, f := range tsharkFields {
			if i < len(cols) && cols[i] != "" {
				m[f] = strings.Split(cols[i], "|")
			}
		}
		frames = append(frames, m)
	}
	return frames
}

// event is the JSON of one mDNS or LLMNR event.
type event struct {
	ID         int      `json:"id"`
	Truncated  bool     `json:"truncated"`
	Conflict   bool     `json:"conflict"`
	Tentative  bool     `json:"tentative"`
	Opcode     string   `json:"opcode"`
	RCode      string   `json:"rcode"`
	Questions  []record `json:"questions"`
	Answers    []record `json:"answers"`
	Authority  []record `json:"authority"`
	Additional []record `json:"additional"`
	Hosts      []string `json:"hosts"`
	Addresses  []string `json:"addresses"`
	Services   []string `json:"services"`
	Instances  []string `json:"instances"`
}

type record struct {
	Name            string  `json:"name"`
	Type            string  `json:"type"`
	TTL             *int    `json:"ttl"`
	CacheFlush      bool    `json:"cache_flush"`
	UnicastResponse bool    `json:"unicast_response"`
	Addr            string  `json:"addr"`
	Target          string  `json:"target"`
	Port            *int    `json:"port"`
	Priority        *int    `json:"priority"`
	Weight          *int    `json:"weight"`
	TXT             txtList `json:"txt"`
	CPU             string  `json:"cpu"`
	OS              string  `json:"os"`
	Next            string  `json:"next"`
}

// txtList reads the txt object in order, as "key=value" or "key".
type txtList []string

func (l *txtList) UnmarshalJSON(b []byte) error {
	d := json.NewDecoder(bytes.NewReader(b))
	if _, err := d.Token(); err != nil {
		return err
	}
	for d.More() {
		k, err := d.Token()
		if err != nil {
			return err
		}
		v, err := d.Token()
		if err != nil {
			return err
		}
		if s, ok := v.(string); ok {
			*l = append(*l, k.(string)+"="+s)
		} else {
			*l = append(*l, k.(string))
		}
	}
	return nil
}

// typeNumber maps type mnemonics back to numbers.
var typeNumber = func() map[string]string {
	m := map[string]string{}
	for i := range 1 << 16 {
		m[dnsmsg.Type(i).String()] = strconv.Itoa(i)
	}
	return m
}()

var rcodeNumber = func() map[string]string {
	m := map[string]string{"": "0"}
	for i := range 16 {
		m[dnsmsg.RCode(i).String()] = strconv.Itoa(i)
	}
	return m
}()

func b01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// tally counts comparisons and disagreements.
type tally struct {
	t                 *testing.T
	frame             int
	fields, disagreed int
}

func (c *tally) same(what string, ours, theirs []string) {
	c.fields += max(len(ours), len(theirs))
	if !slices.Equal(ours, theirs) {
		c.disagreed++
		c.t.Errorf("frame %d %s: medtap %q, tshark %q", c.frame, what, ours, theirs)
	}
}

// TestAgainstTshark runs the avahi and llmnrd captures through the
// adapters and compares every field of every event with what tshark
// dissects in the same packet.
func TestAgainstTshark(t *testing.T) {
	for _, tt := range captures {
		t.Run(tt.proto, func(t *testing.T) {
			frames := tshark(t, tt.file)
			var evs []event
			for _, r := range udptest.Render(t, tt.proto, tt.file) {
				if r.Kind == flow.KindError {
					t.Errorf("decode error: %s", r.JSON)
					continue
				}
				var x event
				if err := json.Unmarshal([]byte(`{"x":0`+string(r.JSON)+`}`), &x); err != nil {
					t.Fatal(err)
				}
				evs = append(evs, x)
			}
			if len(evs) != len(frames) {
				t.Fatalf("%d events, tshark %d frames", len(evs), len(frames))
			}
			c := &tally{t: t}
			for i, x := range evs {
				c.frame = i + 1
				compare(c, tt.proto, &x, frames[i])
			}
			t.Logf("%s: %d events compared, %d field values compared, %d disagreements", tt.proto, len(evs), c.fields, c.disagreed)
		})
	}
}

func compare(c *tally, proto string, x *event, f map[string][]string) {
	one := func(s string) []string { return []string{s} }
	c.same("id", one("0x"+strings.Repeat("0", 4-len(strconv.FormatInt(int64(x.ID), 16)))+strconv.FormatInt(int64(x.ID), 16)), f["dns.id"])
	c.same("truncated", one(b01(x.Truncated)), f["dns.flags.truncated"])
	opcode := "0"
	if x.Opcode != "" {
		opcode = "?"
	}
	c.same("opcode", one(opcode), f["dns.flags.opcode"])
	rcode := f["dns.flags.rcode"]
	if rcode == nil {
		rcode = one("0") // tshark shows it in responses only
	}
	c.same("rcode", one(rcodeNumber[x.RCode]), rcode)
	if proto == llmnrflow.Name {
		c.same("conflict", one(b01(x.Conflict)), f["dns.flags.conflict"])
		c.same("tentative", one(b01(x.Tentative)), f["dns.flags.tentative"])
	}
	var qn, qt, qu []string
	for _, q := range x.Questions {
		qn, qt, qu = append(qn, q.Name), append(qt, typeNumber[q.Type]), append(qu, b01(q.UnicastResponse))
	}
	c.same("question names", qn, f["dns.qry.name"])
	c.same("question types", qt, f["dns.qry.type"])
	if proto == mdnsflow.Name {
		c.same("unicast-response bits", qu, f["dns.qry.qu"])
	}
	var rn, rt, ttl, flush, a, aaaa, ptr, srvT, srvP, srvPr, srvW, txt, cpu, os, next []string
	for _, sec := range [][]record{x.Answers, x.Authority, x.Additional} {
		for _, r := range sec {
			rn, rt, ttl = append(rn, r.Name), append(rt, typeNumber[r.Type]), append(ttl, strconv.Itoa(*r.TTL))
			flush = append(flush, b01(r.CacheFlush))
			switch r.Type {
			case "A":
				a = append(a, r.Addr)
			case "AAAA":
				aaaa = append(aaaa, r.Addr)
			case "PTR":
				ptr = append(ptr, r.Target)
			case "SRV":
				srvT, srvP = append(srvT, r.Target), append(srvP, strconv.Itoa(*r.Port))
				srvPr, srvW = append(srvPr, strconv.Itoa(*r.Priority)), append(srvW, strconv.Itoa(*r.Weight))
			case "TXT":
				txt = append(txt, r.TXT...)
			case "HINFO":
				cpu, os = append(cpu, r.CPU), append(os, r.OS)
			case "NSEC":
				next = append(next, r.Next)
			}
		}
	}
	// tshark names an SRV record's owner in dns.srv.service, .proto and
	// .name (splitting it as RFC 2782 names, _service._proto.name) and
	// the other records' in dns.resp.name.
	var owners []string
	names, srvs := f["dns.resp.name"], 0
	for _, t := range f["dns.resp.type"] {
		if t == "33" && srvs < len(f["dns.srv.name"]) {
			owners = append(owners, f["dns.srv.service"][srvs]+"."+f["dns.srv.proto"][srvs]+"."+f["dns.srv.name"][srvs])
			srvs++
		} else if len(names) > 0 {
			owners, names = append(owners, names[0]), names[1:]
		}
	}
	c.same("record names", rn, owners)
	c.same("record types", rt, f["dns.resp.type"])
	c.same("ttls", ttl, f["dns.resp.ttl"])
	if proto == mdnsflow.Name {
		c.same("cache-flush bits", flush, f["dns.resp.cache_flush"])
	}
	c.same("A", a, f["dns.a"])
	c.same("AAAA", aaaa, f["dns.aaaa"])
	c.same("PTR", ptr, f["dns.ptr.domain_name"])
	c.same("SRV target", srvT, f["dns.srv.target"])
	c.same("SRV port", srvP, f["dns.srv.port"])
	c.same("SRV priority", srvPr, f["dns.srv.priority"])
	c.same("SRV weight", srvW, f["dns.srv.weight"])
	var theirTXT []string
	for _, s := range f["dns.txt"] {
		if s != "" {
			theirTXT = append(theirTXT, s)
		}
	}
	c.same("TXT", txt, theirTXT)
	c.same("HINFO cpu", cpu, f["dns.hinfo.cpu"])
	c.same("HINFO os", os, f["dns.hinfo.os"])
	c.same("NSEC next", next, f["dns.nsec.next_domain_name"])
	// The summaries: hosts and addresses are the A/AAAA owners and data
	// tshark dissected, each once.
	var theirHosts, theirAddrs []string
	for i, n := range owners {
		if t := f["dns.resp.type"][i]; (t == "1" || t == "28") && !slices.Contains(theirHosts, n) {
			theirHosts = append(theirHosts, n)
		}
	}
	for _, v := range append(slices.Clone(f["dns.a"]), f["dns.aaaa"]...) {
		if !slices.Contains(theirAddrs, v) {
			theirAddrs = append(theirAddrs, v)
		}
	}
	slices.Sort(theirAddrs)
	c.same("hosts", x.Hosts, theirHosts)
	ours := slices.Clone(x.Addresses)
	slices.Sort(ours)
	c.same("addresses", ours, theirAddrs)
	// Every instance is of a listed service type, and every service type
	// is a name tshark saw (asked, owned or pointed to).
	seen := strings.Join(append(append(slices.Clone(f["dns.qry.name"]), owners...), f["dns.ptr.domain_name"]...), "|")
	for _, s := range x.Services {
		c.fields++
		if !strings.Contains(seen, s) {
			c.disagreed++
			c.t.Errorf("frame %d: service %q in no name tshark saw", c.frame, s)
		}
	}
	for _, in := range x.Instances {
		c.fields++
		if !slices.ContainsFunc(x.Services, func(s string) bool { return strings.HasSuffix(in, "."+s) }) || !strings.Contains(seen, in) {
			c.disagreed++
			c.t.Errorf("frame %d: instance %q of no service, or in no name tshark saw", c.frame, in)
		}
	}
}
