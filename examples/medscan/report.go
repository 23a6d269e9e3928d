package main

import (
	"bufio"
	"bytes"
	"cmp"
	"fmt"
	"maps"
	"net/netip"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/medtap/medtap/flow"
)

// reporter receives the engine's events and prints the results.
type reporter interface {
	flow.Sink
	finish(st *flow.Stats)
}

// tsLayout is RFC 3339 with nanoseconds, always nine digits.
const tsLayout = "2006-01-02T15:04:05.000000000Z07:00"

// device is what medscan learned about one address from its flows.
type device struct {
	addr        netip.Addr
	first, last time.Time
	services    map[string]bool // "dicom/tcp:104"
	protocols   map[string]bool
	names       map[string]bool // identities the device gave itself: AE titles, HL7 applications, ...
	peers       map[netip.Addr]bool
	flowsIn     int
	flowsOut    int
	sent, recvd uint64
}

// inventory accumulates devices from flow events. The fingerprint package
// will replace its guesses with identities.
type inventory struct {
	devs map[netip.Addr]*device
}

func (inv *inventory) get(a netip.Addr, ts time.Time) *device {
	if inv.devs == nil {
		inv.devs = make(map[netip.Addr]*device)
	}
	d := inv.devs[a]
	if d == nil {
		d = &device{addr: a, first: ts, services: map[string]bool{}, protocols: map[string]bool{}, names: map[string]bool{}, peers: map[netip.Addr]bool{}}
		inv.devs[a] = d
	}
	if ts.Before(d.first) {
		d.first = ts
	}
	if ts.After(d.last) {
		d.last = ts
	}
	return d
}

// maxNames caps the identities kept per device, so a hostile capture
// cannot grow the inventory without bound.
const maxNames = 16

func (inv *inventory) name(a netip.Addr, ts time.Time, kind string, v []byte) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return
	}
	d := inv.get(a, ts)
	if len(d.names) < maxNames {
		d.names[kind+":"+strings.ToValidUTF8(string(v), "?")] = true
	}
}

// identities records what protocol events say about who the endpoints are.
// The fingerprint package will turn such evidence into vendor and model.
func (inv *inventory) identities(e *flow.Event) {
	src, dst := e.Src.Addr(), e.Dst.Addr()
	switch d := e.Detail.(type) {
	// Only names a device gives itself count: the AE title it calls from,
	// the called AE title it accepts, the HL7 application it sends as.
	case *flow.DICOMAssociate:
		if a := d.Associate; a != nil {
			if e.Kind == "associate-rq" {
				inv.name(src, e.Time, "ae", a.CallingAE)
			} else if e.Kind == "associate-ac" {
				inv.name(src, e.Time, "ae", a.CalledAE)
			}
		}
	case *flow.HL7Message:
		inv.name(src, e.Time, "hl7", hl7App(d.SendingApp, d.SendingFacility))
	case *flow.HL7Ack:
		if m := d.Message; m != nil {
			app, _ := m.Get("MSH-3")
			fac, _ := m.Get("MSH-4")
			inv.name(src, e.Time, "hl7", hl7App(app.Bytes(), fac.Bytes()))
		}
	case *flow.ASTMSession:
		inv.name(src, e.Time, "astm", d.Header.SenderName())
	case *flow.TLSHello:
		if e.Kind == "client-hello" {
			inv.name(dst, e.Time, "tls", d.ServerName)
		}
	case *flow.IntelliVueIdentity:
		inv.name(src, e.Time, "intellivue", bytes.TrimSpace(append(append(append([]byte(nil), d.Identity.Manufacturer...), ' '), d.Identity.Model...)))
	case *flow.POCT1AMessage:
		if m := d.Message; m != nil && e.Kind == "hello" {
			inv.name(src, e.Time, "poct", bytes.TrimSpace(append(append(append([]byte(nil), m.VendorID...), ' '), m.ModelID...)))
		}
	}
}

func hl7App(app, facility []byte) []byte {
	if len(facility) == 0 {
		return app
	}
	return append(append(append([]byte(nil), app...), '@'), facility...)
}

func (inv *inventory) event(e *flow.Event) {
	if e.Detail != nil && e.Proto != "flow" {
		inv.identities(e)
	}
	if e.Proto != "flow" || e.Kind != "end" {
		return
	}
	fi, ok := e.Detail.(*flow.FlowInfo)
	if !ok {
		return
	}
	c := inv.get(e.Src.Addr(), fi.Start)
	s := inv.get(e.Dst.Addr(), fi.Start)
	c.seen(e.Time)
	s.seen(e.Time)
	c.flowsOut++
	s.flowsIn++
	c.sent += fi.Bytes[0]
	c.recvd += fi.Bytes[1]
	s.sent += fi.Bytes[1]
	s.recvd += fi.Bytes[0]
	c.peers[s.addr] = true
	s.peers[c.addr] = true
	if fi.App != "" {
		c.protocols[fi.App] = true
		s.protocols[fi.App] = true
		// A server port counts as a service once the flow carried a
		// protocol medtap identified, or the handshake was seen.
		s.services[fi.App+"/"+fi.Transport.String()+":"+strconv.Itoa(int(e.Dst.Port()))] = true
	}
}

func (d *device) seen(ts time.Time) {
	if ts.After(d.last) {
		d.last = ts
	}
}

func (inv *inventory) sorted() []*device {
	out := make([]*device, 0, len(inv.devs))
	for _, d := range inv.devs {
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b *device) int { return a.addr.Compare(b.addr) })
	return out
}

func keys(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }

// jsonReporter writes one JSON object per event as it happens.
type jsonReporter struct {
	w    *bufio.Writer
	buf  []byte
	inv  inventory
	last time.Time
}

func newJSONReporter(w *bufio.Writer) *jsonReporter { return &jsonReporter{w: w} }

func (r *jsonReporter) Event(e *flow.Event) {
	r.inv.event(e)
	if e.Time.After(r.last) {
		r.last = e.Time
	}
	b := r.buf[:0]
	b = append(b, `{"type":"event","ts":`...)
	b = appendTime(b, e.Time)
	b = flow.AppendString(b, "proto", e.Proto)
	b = flow.AppendString(b, "kind", e.Kind)
	b = append(b, `,"src":"`...)
	b = e.Src.AppendTo(b)
	b = append(b, `","dst":"`...)
	b = e.Dst.AppendTo(b)
	b = append(b, '"')
	if e.Detail != nil {
		b = e.Detail.AppendJSON(b)
	}
	b = append(b, '}', '\n')
	r.w.Write(b)
	r.buf = b
}

func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, tsLayout)
	return append(b, '"')
}

func appendStrings(b []byte, key string, vals []string) []byte {
	b = append(b, `,"`...)
	b = append(b, key...)
	b = append(b, `":[`...)
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		b = flow.AppendQuoted(b, v)
	}
	return append(b, ']')
}

func (r *jsonReporter) finish(st *flow.Stats) {
	for _, d := range r.inv.sorted() {
		b := r.buf[:0]
		b = append(b, `{"type":"device","ts":`...)
		b = appendTime(b, d.last)
		b = flow.AppendString(b, "addr", d.addr.String())
		b = append(b, `,"first_seen":`...)
		b = appendTime(b, d.first)
		b = append(b, `,"last_seen":`...)
		b = appendTime(b, d.last)
		b = appendStrings(b, "protocols", keys(d.protocols))
		b = appendStrings(b, "services", keys(d.services))
		b = appendStrings(b, "names", keys(d.names))
		b = flow.AppendInt(b, "peers", int64(len(d.peers)))
		b = flow.AppendInt(b, "flows_in", int64(d.flowsIn))
		b = flow.AppendInt(b, "flows_out", int64(d.flowsOut))
		b = flow.AppendInt(b, "bytes_sent", int64(d.sent))
		b = flow.AppendInt(b, "bytes_received", int64(d.recvd))
		b = append(b, '}', '\n')
		r.w.Write(b)
		r.buf = b
	}
	b := r.buf[:0]
	b = append(b, `{"type":"summary","ts":`...)
	b = appendTime(b, r.last)
	for _, c := range counters(st) {
		b = flow.AppendInt(b, c.name, int64(c.value))
	}
	if len(st.ProtoErrors) > 0 {
		b = append(b, `,"decode_errors_by_proto":{`...)
		for i, p := range slices.Sorted(maps.Keys(st.ProtoErrors)) {
			if i > 0 {
				b = append(b, ',')
			}
			b = flow.AppendQuoted(b, p)
			b = append(b, ':')
			b = strconv.AppendUint(b, st.ProtoErrors[p], 10)
		}
		b = append(b, '}')
	}
	b = append(b, '}', '\n')
	r.w.Write(b)
}

type counter struct {
	name  string
	value uint64
}

// counters lists every numeric field of Stats with a snake_case name, so
// a counter added to flow.Stats shows up in the summary without a change
// here.
func counters(st *flow.Stats) []counter {
	v := reflect.ValueOf(st).Elem()
	t := v.Type()
	var out []counter
	for i := range t.NumField() {
		if t.Field(i).Type.Kind() != reflect.Uint64 {
			continue
		}
		out = append(out, counter{snake(t.Field(i).Name), v.Field(i).Uint()})
	}
	return out
}

func snake(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if unicode.IsUpper(r) {
			if i > 0 && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])) {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// tableReporter prints tables for people at the end.
type tableReporter struct {
	w      *bufio.Writer
	inv    inventory
	events map[[2]string]int // proto, kind
	protos map[string]*protoStat
	first  time.Time
	last   time.Time
	errs   []string
}

type protoStat struct {
	flows int
	bytes uint64
}

func newTableReporter(w *bufio.Writer) *tableReporter {
	return &tableReporter{w: w, events: map[[2]string]int{}, protos: map[string]*protoStat{}}
}

const maxErrorLines = 20

func (r *tableReporter) Event(e *flow.Event) {
	r.inv.event(e)
	if r.first.IsZero() || e.Time.Before(r.first) {
		r.first = e.Time
	}
	if e.Time.After(r.last) {
		r.last = e.Time
	}
	r.events[[2]string{e.Proto, e.Kind}]++
	if e.Proto == "flow" && e.Kind == "end" {
		if fi, ok := e.Detail.(*flow.FlowInfo); ok {
			app := cmp.Or(fi.App, "unidentified/"+fi.Transport.String())
			ps := r.protos[app]
			if ps == nil {
				ps = &protoStat{}
				r.protos[app] = ps
			}
			ps.flows++
			ps.bytes += fi.Bytes[0] + fi.Bytes[1]
		}
	}
	if e.Kind == "error" && len(r.errs) < maxErrorLines {
		msg := ""
		if d, ok := e.Detail.(*flow.DecodeErrorDetail); ok && d.Err != nil {
			msg = d.Err.Error()
			if d.Offset >= 0 {
				msg += fmt.Sprintf(" (stream offset %d)", d.Offset)
			}
		}
		r.errs = append(r.errs, fmt.Sprintf("%s %s %s -> %s: %s", e.Time.UTC().Format(time.RFC3339), e.Proto, e.Src, e.Dst, msg))
	}
}

func (r *tableReporter) finish(st *flow.Stats) {
	w := r.w
	fmt.Fprintf(w, "medscan: %d packets, %s, %d flows, %d devices", st.Packets, human(st.Bytes), st.Flows, len(r.inv.devs))
	if !r.first.IsZero() {
		fmt.Fprintf(w, ", %s to %s", r.first.UTC().Format(time.RFC3339), r.last.UTC().Format(time.RFC3339))
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w, "\nDEVICES")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ADDRESS\tNAMES\tSERVICES\tPROTOCOLS\tPEERS\tFLOWS IN/OUT\tSENT\tRECEIVED")
	for _, d := range r.inv.sorted() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d/%d\t%s\t%s\n", d.addr, orDash(strings.Join(keys(d.names), " ")), orDash(strings.Join(keys(d.services), " ")),
			orDash(strings.Join(keys(d.protocols), " ")), len(d.peers), d.flowsIn, d.flowsOut, human(d.sent), human(d.recvd))
	}
	tw.Flush()

	fmt.Fprintln(w, "\nPROTOCOLS")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROTOCOL\tFLOWS\tBYTES")
	for _, name := range slices.Sorted(maps.Keys(r.protos)) {
		ps := r.protos[name]
		fmt.Fprintf(tw, "%s\t%d\t%s\n", name, ps.flows, human(ps.bytes))
	}
	tw.Flush()

	fmt.Fprintln(w, "\nEVENTS")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROTOCOL\tKIND\tCOUNT")
	evs := make([][2]string, 0, len(r.events))
	for k := range r.events {
		evs = append(evs, k)
	}
	slices.SortFunc(evs, func(a, b [2]string) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	for _, k := range evs {
		fmt.Fprintf(tw, "%s\t%s\t%d\n", k[0], k[1], r.events[k])
	}
	tw.Flush()

	if len(r.errs) > 0 {
		fmt.Fprintln(w, "\nDECODE ERRORS (first", maxErrorLines, "at most)")
		for _, e := range r.errs {
			fmt.Fprintln(w, "  "+e)
		}
	}

	fmt.Fprintln(w, "\nCOUNTERS (non-zero)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range counters(st) {
		if c.value != 0 {
			fmt.Fprintf(tw, "%s\t%d\n", c.name, c.value)
		}
	}
	tw.Flush()
}

func orDash(s string) string { return cmp.Or(s, "-") }

func human(n uint64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 10<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
