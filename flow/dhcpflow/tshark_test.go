package dhcpflow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/testutil"
)

// eventFields is what one event says: its kind and every JSON member of
// its Detail, as text.
type eventFields struct {
	kind   string
	fields map[string]string
}

// collect returns the fields of every dhcp event of the capture, in order.
func collect(t *testing.T, file string) []eventFields {
	var out []eventFields
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Protocol != Name {
			return
		}
		js := ev.Detail.AppendJSON([]byte("{"))
		js = append(js, '}')
		if len(js) > 2 {
			js = append([]byte("{"), js[2:]...) // the leading comma
		}
		d := json.NewDecoder(bytes.NewReader(js))
		d.UseNumber()
		var m map[string]any
		if err := d.Decode(&m); err != nil {
			t.Fatalf("event JSON %s: %v", js, err)
		}
		f := map[string]string{}
		for k, v := range m {
			f[k] = fmt.Sprint(v)
		}
		out = append(out, eventFields{string(ev.Kind), f})
	}))
	flowtest.RunFile(t, e, file)
	return out
}

// tsharkPackets returns the dhcp or dhcpv6 layer of every packet of file,
// as tshark -T json --no-duplicate-keys writes it.
func tsharkPackets(t *testing.T, tshark, file string) []map[string]any {
	out, err := exec.Command(tshark, "-n", "-r", file, "-T", "json", "--no-duplicate-keys", "-J", "dhcp dhcpv6").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	var pkts []struct {
		Source struct {
			Layers map[string]any `json:"layers"`
		} `json:"_source"`
	}
	if err := json.Unmarshal(out, &pkts); err != nil {
		t.Fatalf("tshark output: %v", err)
	}
	var layers []map[string]any
	for _, p := range pkts {
		for _, name := range []string{"dhcp", "dhcpv6"} {
			if l, ok := p.Source.Layers[name].(map[string]any); ok {
				l["_proto"] = name
				layers = append(layers, l)
			}
		}
	}
	return layers
}

// list returns v, a value of tshark's JSON, as a list: several values of
// a field are an array, one is the value itself.
func list(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	}
	return []any{v}
}

// joined returns the values of a field joined by commas.
func joined(v any) string {
	var vals []string
	for _, s := range list(v) {
		vals = append(vals, str(s))
	}
	return strings.Join(vals, ",")
}

func str(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

var kinds4Text = map[string]string{"1": "discover", "2": "offer", "3": "request", "4": "decline", "5": "ack",
	"6": "nak", "7": "release", "8": "inform", "9": "forcerenew"}

var kinds6Text = map[string]string{"1": "solicit", "2": "advertise", "3": "request", "4": "confirm", "5": "renew",
	"6": "rebind", "7": "reply", "8": "release", "9": "decline", "10": "reconfigure", "11": "information-request",
	"12": "relay-forw", "13": "relay-repl"}

// expect4 returns what tshark says of a DHCPv4 message in the fields of
// an event.
func expect4(l map[string]any) eventFields {
	e := eventFields{kind: "bootp-request", fields: map[string]string{"xid": str(l["dhcp.id"])}}
	if str(l["dhcp.type"]) == "2" {
		e.kind = "bootp-reply"
		if y := str(l["dhcp.ip.your"]); y != "0.0.0.0" {
			e.fields["assigned_ip"] = y
		}
	}
	if mac := str(l["dhcp.hw.mac_addr"]); mac != "" {
		e.fields["client_mac"] = mac
	}
	types, trees := list(l["dhcp.option.type"]), list(l["dhcp.option.type_tree"])
	for i, tv := range types {
		if i >= len(trees) {
			break
		}
		o := obj(trees[i])
		switch str(tv) {
		case "53":
			e.kind = kinds4Text[str(o["dhcp.option.dhcp"])]
		case "12":
			e.fields["hostname"] = str(o["dhcp.option.hostname"])
		case "60":
			e.fields["vendor_class"] = str(o["dhcp.option.vendor_class_id"])
		case "55":
			e.fields["param_list"] = joined(o["dhcp.option.request_list_item"])
		case "61":
			e.fields["client_id"] = strings.ReplaceAll(str(o["dhcp.option.value"]), ":", "")
		case "50":
			e.fields["requested_ip"] = str(o["dhcp.option.requested_ip_address"])
		case "51":
			e.fields["lease_s"] = str(o["dhcp.option.ip_address_lease_time"])
		case "54":
			e.fields["server_id"] = str(o["dhcp.option.dhcp_server_id"])
		case "81":
			e.fields["fqdn"] = str(o["dhcp.fqdn.name"])
		}
	}
	return e
}

// expect6 returns what tshark says of a DHCPv6 message in the fields of an
// event, and the fields tshark declines to decode.
func expect6(l map[string]any) (e eventFields, undecoded []string) {
	typ := str(l["dhcpv6.msgtype"])
	e = eventFields{kind: kinds6Text[typ], fields: map[string]string{"v6": "true", "xid": str(l["dhcpv6.xid"])}}
	if typ == "12" || typ == "13" {
		// A relay message: the header of the outermost relay, the
		// fields of the innermost message.
		for _, ov := range list(l["dhcpv6.option.type_str_tree"]) {
			if in := obj(obj(ov)["dhcpv6"]); str(obj(ov)["dhcpv6.option.type"]) == "9" && in != nil {
				inner, und := expect6(in)
				e.fields = inner.fields
				undecoded = und
				if e.fields["relayed"] == "" {
					e.fields["relayed"] = inner.kind
				}
			}
		}
		e.fields["hop_count"] = str(l["dhcpv6.hopcount"])
		e.fields["link_addr"] = str(l["dhcpv6.linkaddr"])
		e.fields["peer_addr"] = str(l["dhcpv6.peeraddr"])
		return e, undecoded
	}
	client := map[string]bool{"1": true, "3": true, "4": true, "5": true, "6": true, "8": true, "9": true, "11": true}[typ]
	server := typ == "2" || typ == "7" || typ == "10"
	for _, ov := range list(l["dhcpv6.option.type_str_tree"]) {
		o := obj(ov)
		switch str(o["dhcpv6.option.type"]) {
		case "1":
			e.fields["duid"] = strings.ReplaceAll(str(o["dhcpv6.duid.bytes"]), ":", "")
			for _, k := range []string{"dhcpv6.duidll", "dhcpv6.duidllt"} {
				if str(o[k+".hwtype"]) == "1" {
					e.fields["client_mac"] = str(o[k+".link_layer_addr"])
				}
			}
		case "2":
			e.fields["server_id"] = strings.ReplaceAll(str(o["dhcpv6.duid.bytes"]), ":", "")
		case "6":
			e.fields["param_list"] = joined(o["dhcpv6.requested_option_code"])
		case "16":
			e.fields["vendor_class"] = joined(o["dhcpv6.vendorclass.data"])
			e.fields["vendor_enterprise"] = str(o["dhcpv6.vendorclass.enterprise"])
		case "39":
			if name, ok := o["dhcpv6.client_domain"]; ok {
				e.fields["fqdn"] = strings.TrimSuffix(str(name), ".")
			} else {
				undecoded = append(undecoded, "fqdn")
			}
		case "3":
			if e.fields["requested_ip"] != "" || e.fields["assigned_ip"] != "" {
				continue
			}
			for _, av := range list(o["dhcpv6.option.type_str_tree"]) {
				a := obj(av)
				if str(a["dhcpv6.option.type"]) != "5" {
					continue
				}
				switch {
				case client:
					e.fields["requested_ip"] = str(a["dhcpv6.iaaddr.ip"])
				case server:
					e.fields["assigned_ip"] = str(a["dhcpv6.iaaddr.ip"])
					e.fields["lease_s"] = str(a["dhcpv6.iaaddr.valid_lifetime"])
				}
				break
			}
		}
	}
	return e, undecoded
}

// TestAgainstTshark checks every field of every event of the real-peer
// capture against tshark's dhcp and dhcpv6 dissectors: the kind, xid,
// client MAC, host name, vendor class, parameter or option request list,
// client identifier, DUID, requested and assigned addresses, FQDN, lease
// time and server identifier, and the header of relay messages. tshark's
// FQDN of DHCPv6 keeps the final dot, which the events leave out; tshark
// does not decode option 39 in message types where RFC 4704 does not allow
// it (Information-request, Release), which the events report.
func TestAgainstTshark(t *testing.T) {
	tshark := testutil.Tool(t, "tshark", "tshark")
	events := collect(t, capturePath)
	layers := tsharkPackets(t, tshark, capturePath)
	if len(events) != len(layers) {
		t.Fatalf("%d events, tshark sees %d DHCP messages", len(events), len(layers))
	}
	compared, disagree, skipped := 0, 0, 0
	for i, l := range layers {
		var want eventFields
		var undecoded []string
		if l["_proto"] == "dhcp" {
			want = expect4(l)
		} else {
			want, undecoded = expect6(l)
		}
		got := events[i]
		compared++
		if got.kind != want.kind {
			disagree++
			t.Errorf("message %d: kind %q, tshark %q", i+1, got.kind, want.kind)
		}
		keys := map[string]bool{}
		for k := range got.fields {
			keys[k] = true
		}
		for k := range want.fields {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			if contains(undecoded, k) {
				skipped++
				t.Logf("message %d (%s): tshark does not decode %s (%q here)", i+1, got.kind, k, got.fields[k])
				continue
			}
			compared++
			if got.fields[k] != want.fields[k] {
				disagree++
				t.Errorf("message %d (%s): %s = %q, tshark %q", i+1, got.kind, k, got.fields[k], want.fields[k])
			}
		}
	}
	t.Logf("tshark agreement: %d events, %d fields compared (kinds included), %d disagreements, %d fields tshark does not decode",
		len(events), compared, disagree, skipped)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
