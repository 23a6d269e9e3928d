package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/medtap/medtap/bus/natsbus"
	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/flow"
)

// busOptions are the flags of the event bus.
type busOptions struct {
	url     string // -nats URL
	sensor  string // -sensor NAME
	creds   string // -nats-creds FILE
	tlsCA   string // -nats-tls CA file (TLS on)
	tlsCert string // -nats-tls-cert FILE
	tlsKey  string // -nats-tls-key FILE
	spool   string // -nats-spool DIR
	stream  string // -nats-stream NAME
	replica int    // -nats-replicas N
}

// natsConfig returns the bus configuration of the flags.
func (o *busOptions) natsConfig(stderr io.Writer) (natsbus.Config, error) {
	cfg := natsbus.Config{URL: o.url, Sensor: o.sensor, CredsFile: o.creds, SpoolDir: o.spool, Stream: o.stream, Replicas: o.replica,
		Logf: func(format string, args ...any) { fmt.Fprintf(stderr, "medscan: "+format+"\n", args...) }}
	if o.tlsCA != "" || o.tlsCert != "" {
		tc := &tls.Config{MinVersion: tls.VersionTLS12}
		if o.tlsCA != "" {
			pem, err := os.ReadFile(o.tlsCA)
			if err != nil {
				return cfg, err
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return cfg, fmt.Errorf("%s: no PEM certificate", o.tlsCA)
			}
			tc.RootCAs = pool
		}
		if o.tlsCert != "" {
			c, err := tls.LoadX509KeyPair(o.tlsCert, o.tlsKey)
			if err != nil {
				return cfg, err
			}
			tc.Certificates = []tls.Certificate{c}
		}
		cfg.TLS = tc
	}
	return cfg, nil
}

// openBus opens the bus sink of the flags, nil without -nats.
func openBus(o *busOptions, stderr io.Writer) (*natsbus.Sink, error) {
	if o.url == "" {
		return nil, nil
	}
	if o.sensor == "" {
		h, _ := os.Hostname()
		o.sensor = sanitizeSensor(h)
	}
	if !natsbus.ValidSensor(o.sensor) {
		return nil, fmt.Errorf("-sensor %q: use letters, digits, - and _", o.sensor)
	}
	cfg, err := o.natsConfig(stderr)
	if err != nil {
		return nil, err
	}
	return natsbus.Open(cfg)
}

func sanitizeSensor(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "medscan"
	}
	return string(b[:min(len(b), 64)])
}

// closeBus waits (at most a while) for the bus to acknowledge everything,
// then says what it did.
func closeBus(bs *natsbus.Sink, stderr io.Writer) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := bs.Close(ctx)
	st := bs.Stats()
	fmt.Fprintf(stderr, "medscan: bus: %d messages acknowledged, %d sent again, %d dropped from the spool, %d kept in it\n",
		st.Acked, st.Resent, st.Spool.Dropped, pendingOf(st))
	if err != nil {
		return fmt.Errorf("bus: %w (what was not acknowledged stays in the spool for the next run)", err)
	}
	return nil
}

func pendingOf(st natsbus.Stats) uint64 {
	total := st.Spool.Appended + st.Spool.Recovered - st.Spool.Dropped
	if st.Acked >= total {
		return 0
	}
	return total - st.Acked
}

// teeSink gives each event to two sinks.
type teeSink [2]flow.Sink

func (t teeSink) Event(e *flow.Event) { t[0].Event(e); t[1].Event(e) }

// teeAlerts gives each alert to two sinks.
type teeAlerts [2]detect.AlertSink

func (t teeAlerts) Alert(a *detect.Alert) { t[0].Alert(a); t[1].Alert(a) }
