// Command mllp-listen receives HL7 v2 messages over MLLP and acknowledges
// them, each only after it is stored.
//
//	mllp-listen [-addr 127.0.0.1:2575] [-dir DIR] [flags]
//
// With -dir every message is written to its own file in DIR
// (<time>-<seq>-<control id>.hl7, synced to disk) before the AA
// acknowledgement is sent; if the write fails the sender gets AE and will
// resend. Without -dir each message is printed to stdout as one JSON line
// {"time","remote","type","control_id","version","message"} before it is
// acknowledged. The ACK names the message in MSA-2 and carries a control ID
// of its own in MSH-10.
//
// TLS: -tls-cert and -tls-key serve TLS; -tls-client-ca also requires and
// verifies a client certificate (mutual TLS). SIGINT or SIGTERM stops
// accepting, lets messages being handled finish, and exits.
//
// Limits (defaults those of mllp.Server): -max-conns, -max-conns-per-addr
// (connections from one IP address), -max-frame, -max-buffered (bytes of
// messages being received, all connections together), -idle-timeout,
// -read-timeout and -frame-timeout (from a message's start block to its
// end). What they refused is counted in a line at exit.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/medtap/medtap/mllp"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil))
}

// run parses args, serves until ctx ends, and returns the exit status.
// ready, if set, is called with the listening address.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(addr string)) int {
	fs := flag.NewFlagSet("mllp-listen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "mllp-listen receives HL7 v2 messages over MLLP and acknowledges each one once it is stored.")
		fmt.Fprintln(stderr, "usage: mllp-listen [-addr 127.0.0.1:2575] [-dir DIR] [flags]")
		fs.PrintDefaults()
	}
	addr := fs.String("addr", "127.0.0.1:2575", "listen `address`")
	dir := fs.String("dir", "", "write each message to a file in `DIR` (default: JSON Lines on stdout)")
	certFile := fs.String("tls-cert", "", "TLS certificate `file` (PEM)")
	keyFile := fs.String("tls-key", "", "TLS private key `file` (PEM)")
	clientCA := fs.String("tls-client-ca", "", "require client certificates signed by the CAs in `file` (PEM)")
	maxConns := fs.Int("max-conns", mllp.DefaultMaxConns, "maximum concurrent connections")
	maxPerAddr := fs.Int("max-conns-per-addr", mllp.DefaultMaxConnsPerAddr, "maximum concurrent connections from one IP address; more are closed at once")
	maxFrame := fs.Int("max-frame", mllp.DefaultMaxFrameSize, "maximum message size in bytes")
	maxBuffered := fs.Int("max-buffered", mllp.DefaultMaxBufferedBytes, "maximum `bytes` of messages being received, all connections together; a message that does not fit gets AE (NAK) and its connection is closed")
	idle := fs.Duration("idle-timeout", mllp.DefaultIdleTimeout, "close connections idle this long")
	readTimeout := fs.Duration("read-timeout", mllp.DefaultReadTimeout, "maximum time to receive one message")
	frameTimeout := fs.Duration("frame-timeout", mllp.DefaultFrameTimeout, "maximum time from a message's start block to its end block")
	commit := fs.Bool("commit-acks", false, "answer with MLLP release 2 commit ACK/NAK frames instead of HL7 ACK messages")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return 0
		}
		return 2
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return 2
	}
	logf := func(format string, a ...any) { fmt.Fprintf(stderr, "mllp-listen: "+format+"\n", a...) }
	s := &mllp.Server{
		MaxConns: *maxConns, MaxConnsPerAddr: *maxPerAddr, MaxFrameSize: *maxFrame, MaxBufferedBytes: *maxBuffered,
		IdleTimeout: *idle, ReadTimeout: *readTimeout, FrameTimeout: *frameTimeout,
		ErrorLog: logf, CommitAcks: *commit,
	}
	if *certFile != "" || *keyFile != "" {
		cfg, err := tlsConfig(*certFile, *keyFile, *clientCA)
		if err != nil {
			logf("%v", err)
			return 1
		}
		s.TLSConfig = cfg
	} else if *clientCA != "" {
		logf("-tls-client-ca needs -tls-cert and -tls-key")
		return 2
	}
	st := &store{dir: *dir, out: stdout}
	if *dir != "" {
		if err := os.MkdirAll(*dir, 0o750); err != nil {
			logf("%v", err)
			return 1
		}
	}
	s.Handler = mllp.HandlerFunc(st.handle)
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		logf("%v", err)
		return 1
	}
	logf("listening on %s", l.Addr())
	if ready != nil {
		ready(l.Addr().String())
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(l) }()
	select {
	case err := <-done:
		logf("%v", err)
		return 1
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Shutdown(sctx); err != nil {
		logf("shutdown: %v", err)
	}
	<-done
	logf("stopped after %s", plural(st.seq.Load(), "message"))
	if c := s.Stats(); c.Refused+c.FrameTimeouts+c.OverBudget+c.TooLarge > 0 {
		logf("limits: connections refused (per address) %d, slow messages cut off %d, messages over the buffer budget %d, messages too large %d",
			c.Refused, c.FrameTimeouts, c.OverBudget, c.TooLarge)
	}
	return 0
}

// plural returns "1 message", "2 messages".
func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func tlsConfig(certFile, keyFile, clientCA string) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, err
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if clientCA != "" {
		pem, err := os.ReadFile(clientCA)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errors.New("no certificates in " + clientCA)
		}
		cfg.ClientCAs, cfg.ClientAuth = pool, tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}

// store keeps messages in a directory or prints them as JSON Lines.
type store struct {
	dir string
	out io.Writer
	mu  sync.Mutex // serialises stdout lines
	seq atomic.Int64
}

type record struct {
	Time      time.Time `json:"time"`
	Remote    string    `json:"remote"`
	Type      string    `json:"type"`
	ControlID string    `json:"control_id"`
	Version   string    `json:"version"`
	Message   string    `json:"message"`
}

// handle stores one message; the server ACKs AA when it returns nil, AE
// with the error otherwise.
func (st *store) handle(ctx context.Context, req *mllp.Request) ([]byte, error) {
	n := st.seq.Add(1)
	m := req.Message
	if st.dir == "" {
		b, err := json.Marshal(record{Time: time.Now().UTC(), Remote: req.RemoteAddr.String(),
			Type: m.Type().String(), ControlID: m.ControlID().String(), Version: m.Version().String(),
			Message: string(req.Payload)})
		if err != nil {
			return nil, err
		}
		st.mu.Lock()
		defer st.mu.Unlock()
		_, err = st.out.Write(append(b, '\n'))
		return nil, err
	}
	name := fmt.Sprintf("%s-%06d-%s.hl7", time.Now().UTC().Format("20060102T150405.000000000"), n, safe(m.ControlID().Bytes()))
	return nil, writeSynced(filepath.Join(st.dir, name), req.Payload)
}

// safe keeps letters, digits, '-' and '_' of a control ID for a file name.
func safe(b []byte) string {
	out := make([]byte, 0, min(len(b), 40))
	for _, c := range b {
		if len(out) == 40 {
			break
		}
		if c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_' {
			out = append(out, c)
		} else {
			out = append(out, '_')
		}
	}
	return string(out)
}

// writeSynced writes data to a temporary file, syncs it and renames it to
// name, so a file that exists is complete.
func writeSynced(name string, data []byte) error {
	tmp := name + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
