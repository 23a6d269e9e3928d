// Command medtap-collect reads the JSON Lines that sensors (medscan -nats
// URL -sensor NAME) publish to a NATS JetStream stream and prints one
// picture of the estate: the sensors' inventories merged into one (the
// fingerprint package's snapshot merge), their alerts de-duplicated across
// sensors, and what each sensor saw.
//
// Usage:
//
//	medtap-collect -nats URL [-drain] [-json] [flags]
//
// It reads the stream from its first message. With -drain it stops once it
// has read what the stream held when it started; otherwise it follows the
// stream until SIGINT or SIGTERM. Then it prints tables, or with -json JSON
// Lines: "device" lines (merged), "alert" lines (one per rule, severity
// and address pair, with the sensors that raised it and their count), and
// a "summary".
//
// An alert seen by two sensors (two taps on one link) counts once: its
// count is the highest of the sensors' counts. Messages are counted by
// their message ID: "duplicates" in the summary is the number of IDs read
// more than once, which the stream's de-duplication keeps at 0.
//
// Exit status: 0 when the stream was read, 1 when it could not be, 2 on
// usage errors.
package main

import (
	"bufio"
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/netip"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/medtap/medtap/bus/natsbus"
	"github.com/medtap/medtap/fingerprint"
	"github.com/medtap/medtap/flow"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	status := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(status)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("medtap-collect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		url, creds, tlsCA, tlsCert, tlsKey, stream string
		jsonOut, drain                             bool
		maxDevices                                 int64
	)
	fs.StringVar(&url, "nats", "", "the NATS JetStream server(s) at `URL` (comma-separated; tls:// for TLS)")
	fs.StringVar(&creds, "nats-creds", "", "NATS credentials `FILE`")
	fs.StringVar(&tlsCA, "nats-tls", "", "connect with TLS, trusting the CA certificates in `FILE` (PEM)")
	fs.StringVar(&tlsCert, "nats-tls-cert", "", "client certificate `FILE` (PEM)")
	fs.StringVar(&tlsKey, "nats-tls-key", "", "client key `FILE` (PEM)")
	fs.StringVar(&stream, "nats-stream", "MEDTAP", "JetStream stream `NAME`")
	fs.BoolVar(&jsonOut, "json", false, "print JSON Lines instead of tables")
	fs.BoolVar(&drain, "drain", false, "stop once the messages the stream held at the start are read")
	fs.Int64Var(&maxDevices, "max-devices", 1<<22, "most device lines kept in memory per sensor")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if url == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: medtap-collect -nats URL [-drain] [-json] [flags]")
		return 2
	}
	cfg := natsbus.Config{URL: url, CredsFile: creds, Stream: stream, Logf: func(f string, a ...any) { fmt.Fprintf(stderr, "medtap-collect: "+f+"\n", a...) }}
	if tlsCA != "" || tlsCert != "" {
		tc, err := tlsConfig(tlsCA, tlsCert, tlsKey)
		if err != nil {
			fmt.Fprintf(stderr, "medtap-collect: %v\n", err)
			return 2
		}
		cfg.TLS = tc
	}
	c := newCollector(int(maxDevices))
	err := natsbus.Consume(ctx, cfg, drain, c.message)
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "medtap-collect: %v\n", err)
		if c.messages == 0 {
			return 1
		}
	}
	w := bufio.NewWriter(stdout)
	if jsonOut {
		c.writeJSON(w)
	} else {
		c.writeTables(w)
	}
	w.Flush()
	if err != nil && !errors.Is(err, context.Canceled) {
		return 1
	}
	return 0
}

func tlsConfig(ca, cert, key string) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if ca != "" {
		pem, err := os.ReadFile(ca)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s: no PEM certificate", ca)
		}
		tc.RootCAs = pool
	}
	if cert != "" {
		c, err := tls.LoadX509KeyPair(cert, key)
		if err != nil {
			return nil, err
		}
		tc.Certificates = []tls.Certificate{c}
	}
	return tc, nil
}

// sensor is what one sensor published.
type sensor struct {
	messages  int
	events    map[[2]string]int // protocol, kind
	devices   []fingerprint.Device
	summaries int
	packets   int64
	flows     int64
	alerts    int64
	last      time.Time
}

// alertKey identifies an alert across sensors.
type alertKey struct {
	id, severity string
	src, dst     netip.Addr
}

type alert struct {
	line     map[string]any // the first line seen
	first    time.Time
	bySensor map[string]int // counts per sensor
}

type collector struct {
	maxDevices int
	ids        map[string]bool
	messages   int
	duplicates int
	bad        int
	sensors    map[string]*sensor
	alerts     map[alertKey]*alert
	order      []alertKey
}

func newCollector(maxDevices int) *collector {
	return &collector{maxDevices: maxDevices, ids: map[string]bool{}, sensors: map[string]*sensor{}, alerts: map[alertKey]*alert{}}
}

func (c *collector) sensor(name string) *sensor {
	s := c.sensors[name]
	if s == nil {
		s = &sensor{events: map[[2]string]int{}}
		c.sensors[name] = s
	}
	return s
}

// message takes one message off the stream.
func (c *collector) message(m *natsbus.Message) error {
	c.messages++
	if m.ID != "" {
		if c.ids[m.ID] {
			c.duplicates++
			return nil
		}
		c.ids[m.ID] = true
	}
	s := c.sensor(m.Sensor)
	s.messages++
	switch m.Type {
	case "device":
		d, err := fingerprint.ParseDeviceJSON(m.Data)
		if err != nil {
			c.bad++
			return nil
		}
		if len(s.devices) < c.maxDevices {
			s.devices = append(s.devices, d)
		}
	case "event":
		var e struct {
			Proto string `json:"proto"`
			Kind  string `json:"kind"`
		}
		if json.Unmarshal(m.Data, &e) != nil {
			c.bad++
			return nil
		}
		s.events[[2]string{e.Proto, e.Kind}]++
	case "alert":
		var line map[string]any
		if json.Unmarshal(m.Data, &line) != nil {
			c.bad++
			return nil
		}
		k := alertKey{id: str(line["id"]), severity: str(line["severity"]), src: addrOf(str(line["src"])), dst: addrOf(str(line["dst"]))}
		a := c.alerts[k]
		ts, _ := time.Parse(time.RFC3339Nano, str(line["ts"]))
		if a == nil {
			a = &alert{line: line, first: ts, bySensor: map[string]int{}}
			c.alerts[k] = a
			c.order = append(c.order, k)
		} else if ts.Before(a.first) {
			a.first = ts
			a.line = line
		}
		n, _ := line["count"].(float64)
		a.bySensor[m.Sensor] += int(n)
	case "summary":
		var sum struct {
			TS      time.Time `json:"ts"`
			Packets int64     `json:"packets"`
			Flows   int64     `json:"flows"`
			Alerts  int64     `json:"alerts"`
		}
		if json.Unmarshal(m.Data, &sum) != nil {
			c.bad++
			return nil
		}
		s.summaries++
		s.packets += sum.Packets
		s.flows += sum.Flows
		s.alerts += sum.Alerts
		if sum.TS.After(s.last) {
			s.last = sum.TS
		}
	}
	return nil
}

func str(v any) string { s, _ := v.(string); return s }

// addrOf returns the address of "a.b.c.d:port", "[v6]:port" or a bare
// address.
func addrOf(s string) netip.Addr {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr()
	}
	a, _ := netip.ParseAddr(s)
	return a
}

// inventory merges every sensor's devices.
func (c *collector) inventory() fingerprint.Snapshot {
	var merged fingerprint.Snapshot
	merged.Version = fingerprint.SnapshotVersion
	for _, name := range slices.Sorted(maps.Keys(c.sensors)) {
		s := c.sensors[name]
		merged = fingerprint.Merge(merged, fingerprint.Snapshot{Version: fingerprint.SnapshotVersion, Taken: s.last, Devices: s.devices})
	}
	return merged
}

// alertCount is an alert's count across sensors: the highest of theirs.
func (a *alert) count() int {
	n := 0
	for _, v := range a.bySensor {
		n = max(n, v)
	}
	return n
}

func (c *collector) sortedAlerts() []alertKey {
	keys := slices.Clone(c.order)
	rank := map[string]int{"critical": 4, "high": 3, "medium": 2, "low": 1}
	slices.SortStableFunc(keys, func(x, y alertKey) int {
		return cmp.Or(cmp.Compare(rank[y.severity], rank[x.severity]), c.alerts[x].first.Compare(c.alerts[y].first))
	})
	return keys
}

func (c *collector) writeJSON(w io.Writer) {
	inv := c.inventory()
	var last time.Time
	for _, s := range c.sensors {
		if s.last.After(last) {
			last = s.last
		}
	}
	for _, d := range inv.Devices {
		w.Write(append(d.AppendJSON(nil), '\n'))
	}
	for _, k := range c.sortedAlerts() {
		a := c.alerts[k]
		line := maps.Clone(a.line)
		line["count"] = a.count()
		line["sensors"] = slices.Sorted(maps.Keys(a.bySensor))
		b, _ := json.Marshal(line)
		w.Write(append(b, '\n'))
	}
	b := []byte(`{"type":"summary","ts":`)
	b = flow.AppendTime(b, last)
	b = flow.AppendInt(b, "sensors", int64(len(c.sensors)))
	b = flow.AppendInt(b, "messages", int64(c.messages))
	b = flow.AppendInt(b, "distinct_messages", int64(len(c.ids)))
	b = flow.AppendInt(b, "duplicates", int64(c.duplicates))
	b = flow.AppendInt(b, "unreadable", int64(c.bad))
	b = flow.AppendInt(b, "devices", int64(len(inv.Devices)))
	b = flow.AppendInt(b, "alerts", int64(len(c.alerts)))
	b = append(b, `,"by_sensor":{`...)
	for i, name := range slices.Sorted(maps.Keys(c.sensors)) {
		s := c.sensors[name]
		if i > 0 {
			b = append(b, ',')
		}
		b = flow.AppendQuoted(b, name)
		b = append(b, `:{"messages":`...)
		b = fmt.Appendf(b, "%d", s.messages)
		b = flow.AppendInt(b, "packets", s.packets)
		b = flow.AppendInt(b, "flows", s.flows)
		b = flow.AppendInt(b, "alerts", s.alerts)
		b = flow.AppendInt(b, "runs", int64(s.summaries))
		b = append(b, '}')
	}
	b = append(b, "}}\n"...)
	w.Write(b)
}

func (c *collector) writeTables(w io.Writer) {
	inv := c.inventory()
	fmt.Fprintf(w, "medtap-collect: %d sensors, %d messages (%d duplicates), %d devices, %d alerts\n",
		len(c.sensors), c.messages, c.duplicates, len(inv.Devices), len(c.alerts))

	fmt.Fprintln(w, "\nSENSORS")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SENSOR\tRUNS\tMESSAGES\tPACKETS\tFLOWS\tEVENTS\tALERTS\tLAST")
	for _, name := range slices.Sorted(maps.Keys(c.sensors)) {
		s := c.sensors[name]
		events := 0
		for _, n := range s.events {
			events += n
		}
		lastTS := "-"
		if !s.last.IsZero() {
			lastTS = s.last.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", name, s.summaries, s.messages, s.packets, s.flows, events, s.alerts, lastTS)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nDEVICES")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ADDRESS\tMAC\tCLASS\tVENDOR\tOS\tCRITICALITY\tPROTOCOLS\tPEERS\tFLOWS IN/OUT")
	for _, d := range inv.Devices {
		mac := "-"
		if !d.MAC.IsZero() {
			mac = d.MAC.String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d/%d\n", d.Addr, mac, dash(d.Class), dash(strings.TrimSpace(d.Vendor+" "+d.Product)),
			dash(d.OS), dash(d.Criticality), dash(strings.Join(d.Protocols, " ")), d.Peers, d.FlowsIn, d.FlowsOut)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nALERTS")
	if len(c.alerts) == 0 {
		fmt.Fprintln(w, "(none)")
		return
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SEVERITY\tID\tSOURCE\tDESTINATION\tCOUNT\tSENSORS\tSUMMARY")
	for _, k := range c.sortedAlerts() {
		a := c.alerts[k]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", k.severity, k.id, dash(str(a.line["src"])), dash(str(a.line["dst"])), a.count(),
			strings.Join(slices.Sorted(maps.Keys(a.bySensor)), ","), str(a.line["summary"]))
	}
	tw.Flush()
}

func dash(s string) string { return cmp.Or(s, "-") }
