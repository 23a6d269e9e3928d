// Package natsbus carries medtap's JSON Lines (events, devices, alerts,
// summaries) between sensors and collectors on a NATS JetStream stream.
//
// A [Sink] publishes each line to the subject medtap.<sensor>.<type> with
// a message ID (JetStream drops a message whose ID it has already stored
// within the stream's duplicate window, so a re-send after a lost
// acknowledgement or a reconnect is never stored twice). Every line first
// goes to a bounded on-disk spool (package bus/spool) and leaves it only
// when the stream has acknowledged it: while the bus is unreachable the
// spool fills (up to its cap, the oldest dropped and counted), and it
// refills the stream once the bus is back, in order, also after the sensor
// restarts.
//
// [Consume] reads the stream from the start, for a collector.
//
// A Sink is a [bus.Publisher]. It runs one goroutine, started by [Open] and ended by [Sink.Close]:
// the goroutine of a connection the caller asked for.
package natsbus

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/medtap/medtap/bus"
	"github.com/medtap/medtap/bus/spool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Config configures a [Sink] or a [Consume]r. The zero value of a field
// selects its default.
type Config struct {
	// URL is the NATS server, or several separated by commas
	// ("nats://10.0.0.1:4222,nats://10.0.0.2:4222"); tls:// selects TLS.
	URL string
	// Sensor names the sensor in subjects (medtap.<sensor>.<type>): letters,
	// digits, "-" and "_".
	Sensor string
	// Stream is the JetStream stream; default "MEDTAP". A Sink creates it
	// (subjects medtap.>, file storage) when it does not exist, with
	// Replicas copies (default 1) and a Duplicates window (default 1 h).
	Stream     string
	Replicas   int
	Duplicates time.Duration
	// CredsFile is a NATS credentials file (a user JWT and its NKey seed).
	CredsFile string
	// TLS, when set, is the client's TLS configuration (CA, client
	// certificate).
	TLS *tls.Config
	// SpoolDir holds the spool; default a directory named after the
	// sensor in the user's cache directory. SpoolMaxBytes caps it (default
	// 256 MiB).
	SpoolDir      string
	SpoolMaxBytes int64
	// MaxInFlight is how many messages are published before their
	// acknowledgements are awaited; default 256.
	MaxInFlight int
	// Logf, when set, is told of connection changes.
	Logf func(format string, args ...any)
}

func (c *Config) defaults() error {
	if c.URL == "" {
		return errors.New("natsbus: no URL")
	}
	if c.Stream == "" {
		c.Stream = "MEDTAP"
	}
	if c.Replicas <= 0 {
		c.Replicas = 1
	}
	if c.Duplicates <= 0 {
		c.Duplicates = time.Hour
	}
	if c.MaxInFlight <= 0 {
		c.MaxInFlight = 256
	}
	if c.Logf == nil {
		c.Logf = func(string, ...any) {}
	}
	return nil
}

// ValidSensor reports whether name can be a sensor's name in subjects.
func ValidSensor(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for _, c := range []byte(name) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// options are the connection's options; retry makes a first connection
// that fails retry in the background (a sink spools meanwhile) instead of
// failing.
func (c *Config) options(retry bool) []nats.Option {
	opts := []nats.Option{
		nats.Name("medtap " + c.Sensor),
		nats.RetryOnFailedConnect(retry),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250 * time.Millisecond),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) { c.Logf("natsbus: disconnected: %v", err) }),
		nats.ReconnectHandler(func(nc *nats.Conn) { c.Logf("natsbus: reconnected to %s", nc.ConnectedUrlRedacted()) }),
	}
	if c.CredsFile != "" {
		opts = append(opts, nats.UserCredentials(c.CredsFile))
	}
	if c.TLS != nil {
		opts = append(opts, nats.Secure(c.TLS))
	}
	return opts
}

// Stats counts what a Sink did.
type Stats struct {
	Published uint64 // messages sent, re-sends included
	Acked     uint64 // messages the stream acknowledged
	Resent    uint64 // messages sent again after a failure
	Failures  uint64 // batches that failed (the bus unreachable, a timeout)
	Spool     spool.Stats
}

// Sink publishes JSON Lines to a JetStream stream through a spool.
type Sink struct {
	cfg    Config
	nc     *nats.Conn
	js     jetstream.JetStream
	sp     *spool.Spool
	run    string // this run's part of message IDs
	seq    atomic.Uint64
	subj   string // "medtap.<sensor>."
	closed chan struct{}
	done   chan struct{}
	mu     sync.Mutex
	stats  Stats
	err    error // the sender's, when it stopped on a spool error
	lines  bus.LineWriter
	// progress is signalled when a batch was acknowledged or failed.
	progress chan struct{}
}

// Open connects to the bus (in the background: an unreachable bus is not
// an error, the spool holds what is published until it is reachable),
// opens the spool and starts the sender.
func Open(cfg Config) (*Sink, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	if !ValidSensor(cfg.Sensor) {
		return nil, fmt.Errorf("natsbus: sensor name %q: use letters, digits, - and _", cfg.Sensor)
	}
	if cfg.SpoolDir == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			dir = os.TempDir()
		}
		cfg.SpoolDir = filepath.Join(dir, "medtap", "spool-"+cfg.Sensor)
	}
	sp, err := spool.Open(spool.Config{Dir: cfg.SpoolDir, MaxBytes: cfg.SpoolMaxBytes})
	if err != nil {
		return nil, err
	}
	nc, err := nats.Connect(cfg.URL, cfg.options(true)...)
	if err != nil {
		sp.Close()
		return nil, fmt.Errorf("natsbus: %w", err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		sp.Close()
		return nil, fmt.Errorf("natsbus: %w", err)
	}
	s := &Sink{cfg: cfg, nc: nc, js: js, sp: sp, subj: "medtap." + cfg.Sensor + ".",
		run: strconv.FormatInt(time.Now().UnixNano(), 36), closed: make(chan struct{}), done: make(chan struct{}), progress: make(chan struct{}, 1)}
	s.lines.P = s
	go s.send()
	return s, nil
}

// Publish queues one message of type typ ("event", "device", "alert",
// ...) for the stream. It returns an error only when the spool cannot
// take it (closed, a disk error).
func (s *Sink) Publish(typ string, data []byte) error {
	id := s.cfg.Sensor + "-" + s.run + "-" + strconv.FormatUint(s.seq.Add(1), 10)
	return s.sp.Append(s.subj+typ, id, data)
}

// Write publishes each complete JSON line of p by its "type" member, as a
// [bus.LineWriter] does: an io.Writer for medscan's output.
func (s *Sink) Write(p []byte) (int, error) { return s.lines.Write(p) }

// send publishes what the spool holds, in order, keeping up to
// MaxInFlight messages unacknowledged: each acknowledgement, in order,
// commits the spool up to its message; a failure rewinds the spool to the
// first unacknowledged message and sends again from there (the stream
// drops what it already stored, by message ID).
func (s *Sink) send() {
	defer close(s.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-s.closed:
		case <-s.done:
		}
		cancel()
	}()
	type sent struct {
		pos spool.Pos
		fut jetstream.PubAckFuture
	}
	inflight := make([]sent, 0, s.cfg.MaxInFlight)
	var rec spool.Record
	backoff := 100 * time.Millisecond
	streamReady := false
	fail := func(err error) bool {
		s.mu.Lock()
		s.stats.Failures++
		s.stats.Resent += uint64(len(inflight))
		s.mu.Unlock()
		if len(inflight) > 0 {
			s.sp.Rewind(inflight[0].pos)
			inflight = inflight[:0]
		}
		s.signal()
		s.cfg.Logf("natsbus: %v; retrying in %v", err, backoff)
		select {
		case <-ctx.Done():
			return false // the rest stays in the spool for the next run
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 2*time.Second)
		return true
	}
	acked := func(n int) {
		s.sp.Commit(inflight[n-1].pos)
		inflight = append(inflight[:0], inflight[n:]...)
		s.mu.Lock()
		s.stats.Acked += uint64(n)
		s.mu.Unlock()
		backoff = 100 * time.Millisecond
		s.signal()
	}
	for {
		if !streamReady {
			if streamReady = s.ensureStream(ctx) == nil; !streamReady {
				if !fail(errors.New("stream not ready")) {
					return
				}
				continue
			}
		}
		// Send what there is, up to the window.
		for len(inflight) < cap(inflight) && (len(inflight) == 0 || s.sp.Pending()) {
			if len(inflight) == 0 {
				if err := s.sp.Next(ctx, &rec); err != nil {
					if !errors.Is(err, context.Canceled) {
						s.setErr(err)
					}
					return
				}
			} else if err := s.sp.Next(ctx, &rec); err != nil {
				return
			}
			m := nats.NewMsg(rec.Subject)
			m.Data = append([]byte(nil), rec.Data...) // the publisher keeps it until acknowledged
			fut, err := s.js.PublishMsgAsync(m, jetstream.WithMsgID(rec.ID), jetstream.WithExpectStream(s.cfg.Stream))
			if err != nil {
				inflight = append(inflight, sent{pos: rec.Pos}) // sent again from here
				if !fail(err) {
					return
				}
				break
			}
			inflight = append(inflight, sent{pos: rec.Pos, fut: fut})
			s.mu.Lock()
			s.stats.Published++
			s.mu.Unlock()
		}
		if len(inflight) == 0 {
			continue
		}
		// Take the acknowledgements that are in; wait for the first when
		// nothing more can be sent.
		n := 0
		for n < len(inflight) {
			f := inflight[n].fut
			if f == nil {
				break
			}
			select {
			case <-f.Ok():
				n++
				continue
			case err := <-f.Err():
				if n > 0 {
					acked(n)
				}
				if !fail(err) {
					return
				}
				n = -1
			default:
			}
			break
		}
		if n < 0 {
			continue
		}
		if n > 0 {
			acked(n)
			continue
		}
		if len(inflight) < cap(inflight) && s.sp.Pending() {
			continue
		}
		f := inflight[0].fut
		select {
		case <-f.Ok():
			acked(1)
		case err := <-f.Err():
			if !fail(err) {
				return
			}
		case <-time.After(10 * time.Second):
			if !fail(errors.New("acknowledgement timed out")) {
				return
			}
		case <-ctx.Done():
			return
		case <-s.sp.Notify():
		}
	}
}

func (s *Sink) signal() {
	select {
	case s.progress <- struct{}{}:
	default:
	}
}

// ensureStream creates the stream when it does not exist.
func (s *Sink) ensureStream(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	_, err := s.js.Stream(ctx, s.cfg.Stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		_, err = s.js.CreateStream(ctx, jetstream.StreamConfig{
			Name: s.cfg.Stream, Subjects: []string{"medtap.>"}, Storage: jetstream.FileStorage,
			Replicas: s.cfg.Replicas, Duplicates: s.cfg.Duplicates,
		})
		if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			err = nil
		}
	}
	if err != nil {
		s.cfg.Logf("natsbus: stream %s: %v", s.cfg.Stream, err)
	}
	return err
}

func (s *Sink) setErr(err error) {
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
}

// Stats returns the sink's counters.
func (s *Sink) Stats() Stats {
	s.mu.Lock()
	st := s.stats
	s.mu.Unlock()
	st.Spool = s.sp.Stats()
	return st
}

// Flush waits until the spool has been published and acknowledged, or ctx
// is done.
func (s *Sink) Flush(ctx context.Context) error {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		st := s.Stats()
		if !s.sp.Pending() && st.Acked >= s.seq.Load()+st.Spool.Recovered-st.Spool.Dropped {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("natsbus: %d messages not yet acknowledged: %w", s.seq.Load()+st.Spool.Recovered-st.Spool.Dropped-st.Acked, ctx.Err())
		case <-s.done:
			s.mu.Lock()
			err := s.err
			s.mu.Unlock()
			return cmpErr(err, errors.New("natsbus: sender stopped"))
		case <-s.progress:
		case <-t.C:
		}
	}
}

func cmpErr(err, def error) error {
	if err != nil {
		return err
	}
	return def
}

// Close publishes what is left (waiting until ctx is done: what is not
// acknowledged by then stays in the spool for the next run), then closes
// the connection and the spool.
func (s *Sink) Close(ctx context.Context) error {
	err := s.Flush(ctx)
	close(s.closed)
	<-s.done
	s.nc.Close()
	if cerr := s.sp.Close(); err == nil {
		err = cerr
	}
	return err
}

// streamLast asks for the stream's last sequence (0 when it cannot tell).
func streamLast(ctx context.Context, js jetstream.JetStream, name string) uint64 {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	st, err := js.Stream(ctx, name)
	if err != nil {
		return 0
	}
	info, err := st.Info(ctx)
	if err != nil {
		return 0
	}
	return info.State.LastSeq
}

// A Message is one message of the stream, as [Consume] gives it.
type Message struct {
	Sensor, Type string // from the subject
	ID           string // the Nats-Msg-Id header
	Seq          uint64 // the stream sequence
	Data         []byte // valid only during the call
}

// Consume reads the stream from its first message, calling fn for each in
// stream order. With drain, it returns once it has read every message the
// stream held when Consume started; otherwise it reads until ctx is done.
func Consume(ctx context.Context, cfg Config, drain bool, fn func(*Message) error) error {
	if err := cfg.defaults(); err != nil {
		return err
	}
	if cfg.Sensor == "" {
		cfg.Sensor = "collector" // the connection's name
	}
	nc, err := nats.Connect(cfg.URL, cfg.options(false)...) // an unreachable bus is an error here
	if err != nil {
		return fmt.Errorf("natsbus: %w", err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	// The stream's state and the consumer, retried: right after a server
	// of a cluster restarts, JetStream requests can go unanswered while its
	// leaders are elected.
	var (
		last, msgs uint64
		cons       jetstream.Consumer
	)
	for attempt := 0; ; attempt++ {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		st, err := js.Stream(cctx, cfg.Stream)
		var info *jetstream.StreamInfo
		if err == nil {
			info, err = st.Info(cctx)
		}
		if err == nil {
			last, msgs = info.State.LastSeq, info.State.Msgs
			cons, err = js.OrderedConsumer(cctx, cfg.Stream, jetstream.OrderedConsumerConfig{})
		}
		cancel()
		if err == nil {
			break
		}
		if errors.Is(err, jetstream.ErrStreamNotFound) || ctx.Err() != nil {
			return fmt.Errorf("natsbus: stream %s: %w", cfg.Stream, err)
		}
		cfg.Logf("natsbus: stream %s: %v; retrying", cfg.Stream, err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(time.Duration(attempt+1)*200*time.Millisecond, 2*time.Second)):
		}
	}
	if drain && msgs == 0 {
		return nil
	}
	var m Message
	read := 0
	for ctx.Err() == nil {
		b, err := cons.Fetch(512, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			cfg.Logf("natsbus: fetch: %v", err)
			continue
		}
		for msg := range b.Messages() {
			md, err := msg.Metadata()
			if err != nil {
				return err
			}
			_, rest, _ := strings.Cut(msg.Subject(), ".")
			m.Sensor, m.Type, _ = strings.Cut(rest, ".")
			m.ID = msg.Headers().Get(jetstream.MsgIDHeader)
			m.Seq = md.Sequence.Stream
			m.Data = msg.Data()
			if err := fn(&m); err != nil {
				return err
			}
			read++
			if drain && m.Seq >= last {
				// Read what the stream held at the start; it may have
				// held more than a replica catching up said.
				if l := streamLast(ctx, js, cfg.Stream); l > last {
					last = l
					continue
				}
				return nil
			}
		}
	}
	cfg.Logf("natsbus: read %d messages, the stream's last is %d", read, last)
	return ctx.Err()
}

var _ bus.Publisher = (*Sink)(nil)
