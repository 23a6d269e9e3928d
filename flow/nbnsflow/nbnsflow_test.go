package nbnsflow

import (
	"encoding/json"
	"flag"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/internal/udptest"
	"github.com/medtap/medtap/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const capture = "../../netproto/nbns/testdata/nbns.pcap"

// TestCaptureGolden checks the events of the nmbd capture, their JSON and
// their identities, against testdata/nbns.golden.
func TestCaptureGolden(t *testing.T) {
	udptest.Golden(t, filepath.Join("testdata", "nbns.golden"), udptest.Render(t, Name, capture), *update)
}

type event struct {
	ID        int      `json:"id"`
	Broadcast bool     `json:"broadcast"`
	RCode     string   `json:"rcode"`
	Name      string   `json:"name"`
	TTL       *int     `json:"ttl"`
	Group     *bool    `json:"group"`
	NodeType  string   `json:"node_type"`
	Addresses []string `json:"addresses"`
	Names     []struct {
		Name          string `json:"name"`
		Group         bool   `json:"group"`
		NodeType      string `json:"node_type"`
		Active        bool   `json:"active"`
		Permanent     bool   `json:"permanent"`
		Conflict      bool   `json:"conflict"`
		Deregistering bool   `json:"deregistering"`
	} `json:"names"`
	MAC string `json:"mac"`
}

var opcodes = map[flow.Kind]int{KindNameQuery: 0, KindNameQueryResponse: 0, KindNodeStatus: 0, KindNodeStatusResponse: 0,
	KindRegistration: 5, KindRegistrationResponse: 5, KindRelease: 6, KindReleaseResponse: 6, KindWACK: 7,
	KindRefresh: 8, KindRefreshResponse: 8}

var rcodes = map[string]int{"": 0, "format-error": 1, "server-failure": 2, "name-error": 3, "not-implemented": 4,
	"refused": 5, "active": 6, "conflict": 7}

// TestAgainstTshark compares every field of every event of the nmbd
// capture with what tshark dissects in the same packet.
func TestAgainstTshark(t *testing.T) {
	tool := testutil.Tool(t, "tshark", "tshark")
	fields := []string{"nbns.id", "nbns.flags", "nbns.name", "nbns.ttl", "nbns.nb_flags", "nbns.addr",
		"nbns.netbios_name", "nbns.name_flags", "nbns.unit_id"}
	args := []string{"-n", "-r", capture, "-T", "fields", "-E", "aggregator=|"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(tool, args...).Output()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	evs := udptest.Render(t, Name, capture)
	if len(evs) != len(lines) {
		t.Fatalf("%d events, tshark %d frames", len(evs), len(lines))
	}
	compared, disagreed := 0, 0
	for i, ev := range evs {
		cols := strings.Split(lines[i], "\t")
		f := map[string][]string{}
		for j, name := range fields {
			if j < len(cols) && cols[j] != "" {
				f[name] = strings.Split(cols[j], "|")
			}
		}
		var x event
		if err := json.Unmarshal([]byte(`{"x":0`+string(ev.JSON)+`}`), &x); err != nil {
			t.Fatal(err)
		}
		same := func(what string, ours, theirs []string) {
			compared += max(len(ours), len(theirs))
			if !slices.Equal(ours, theirs) {
				disagreed++
				t.Errorf("frame %d %s: medtap %q, tshark %q", i+1, what, ours, theirs)
			}
		}
		one := func(s string) []string { return []string{s} }
		same("id", one(strconv.Itoa(x.ID)), hexToDec(f["nbns.id"]))
		flags, _ := strconv.ParseUint(strings.TrimPrefix(f["nbns.flags"][0], "0x"), 16, 16)
		resp := strings.HasSuffix(string(ev.Kind), "-response") || ev.Kind == KindWACK
		same("response bit", one(strconv.FormatBool(resp)), one(strconv.FormatBool(flags&0x8000 != 0)))
		same("opcode", one(strconv.Itoa(opcodes[ev.Kind])), one(strconv.Itoa(int(flags>>11&0xF))))
		same("broadcast bit", one(strconv.FormatBool(x.Broadcast)), one(strconv.FormatBool(flags&0x10 != 0)))
		same("rcode", one(strconv.Itoa(rcodes[x.RCode])), one(strconv.Itoa(int(flags&0xF))))
		// tshark writes a record's name with the suffix's description
		// after it: "MTNM-NB1<20> (Server service)".
		var theirNames []string
		for _, n := range f["nbns.name"] {
			theirNames = append(theirNames, strings.SplitN(n, " (", 2)[0])
		}
		for _, n := range theirNames {
			same("name", one(x.Name), one(n))
		}
		if x.TTL != nil {
			same("ttl", one(strconv.Itoa(*x.TTL)), f["nbns.ttl"][:min(1, len(f["nbns.ttl"]))])
		}
		if nbf := f["nbns.nb_flags"]; len(nbf) > 0 {
			v, _ := strconv.ParseUint(strings.TrimPrefix(nbf[0], "0x"), 16, 16)
			same("group", one(strconv.FormatBool(x.Group != nil && *x.Group)), one(strconv.FormatBool(v&0x8000 != 0)))
			same("node type", one(x.NodeType), one(string("BPMH"[v>>13&3])))
		}
		same("addresses", x.Addresses, f["nbns.addr"])
		var base, theirBase, nf, theirNF []string
		for _, n := range x.Names {
			base = append(base, n.Name[:strings.LastIndexByte(n.Name, '<')])
			v := 0x0400 * b(n.Active)
			v |= 0x8000*b(n.Group) | strings.Index("BPMH", n.NodeType)<<13
			v |= 0x0200*b(n.Permanent) | 0x0800*b(n.Conflict) | 0x1000*b(n.Deregistering)
			nf = append(nf, "0x"+strconv.FormatInt(int64(v)|0x10000, 16)[1:])
		}
		theirBase, theirNF = f["nbns.netbios_name"], f["nbns.name_flags"]
		same("name table", base, theirBase)
		same("name flags", nf, theirNF)
		if u := f["nbns.unit_id"]; len(u) > 0 {
			want := u[0]
			if want == "00:00:00:00:00:00" {
				want = "" // left out: Samba sends zeros
			}
			same("mac", one(x.MAC), one(want))
		}
	}
	t.Logf("nbns: %d events compared, %d field values compared, %d disagreements", len(evs), compared, disagreed)
}

func b(v bool) int {
	if v {
		return 1
	}
	return 0
}

func hexToDec(v []string) []string {
	var out []string
	for _, s := range v {
		n, _ := strconv.ParseUint(strings.TrimPrefix(s, "0x"), 16, 16)
		out = append(out, strconv.Itoa(int(n)))
	}
	return out
}
