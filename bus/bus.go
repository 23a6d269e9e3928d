// Package bus is what carries medtap's JSON Lines from sensors to
// collectors: the [Publisher] a bus adapter implements and a [LineWriter]
// that turns a program's JSON Lines output into messages by type.
//
// Adapters: package bus/natsbus publishes to a NATS JetStream stream
// through the bounded on-disk spool of package bus/spool, with message IDs
// that the stream de-duplicates.
//
// Another bus is a small adapter of the same shape. A Kafka writer, for
// example, would be a Publisher whose Publish appends to a bus/spool Spool
// (so that nothing is lost while the brokers are unreachable) and whose
// sending goroutine reads the spool in order and produces each record to a
// topic named after its type (or one topic keyed by "<sensor>.<type>"),
// with an idempotent producer (enable.idempotence, acks=all) so that a
// retry inside a producer session is not stored twice, the record's ID in
// a message header so that consumers can drop re-sends across sessions,
// and Spool.Commit after the broker acknowledged a batch, Spool.Rewind
// after a failure, exactly as natsbus does with JetStream
// acknowledgements. medtap ships no Kafka code: it would be untested here.
package bus

import (
	"bytes"
	"context"
)

// A Publisher sends messages of a type ("event", "device", "alert",
// "summary", ...) to a bus. Publish must not keep data after it returns
// and must not lose what it accepted; Close delivers what is pending (until
// ctx is done) and releases the connection.
type Publisher interface {
	Publish(typ string, data []byte) error
	Close(ctx context.Context) error
}

// LineWriter is an io.Writer that publishes each complete line written to
// it by the type named in its "type" member (a JSON object that starts
// {"type":"...", as medtap writes them; any other line is of type
// "other"). A line may span writes; empty lines are skipped.
type LineWriter struct {
	P   Publisher
	buf []byte
}

// Write implements io.Writer.
func (w *LineWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.buf = append(w.buf, p...)
			break
		}
		line := p[:i]
		if len(w.buf) > 0 {
			w.buf = append(w.buf, line...)
			line = w.buf
		}
		if len(bytes.TrimSpace(line)) > 0 {
			if err := w.P.Publish(LineType(line), line); err != nil {
				return 0, err
			}
		}
		w.buf = w.buf[:0]
		p = p[i+1:]
	}
	return n, nil
}

// LineType returns the type of a medtap JSON line: the value of its
// leading "type" member when it is a short word of letters, digits, "-"
// and "_", else "other".
func LineType(line []byte) string {
	const prefix = `{"type":"`
	if rest, ok := bytes.CutPrefix(line, []byte(prefix)); ok {
		if i := bytes.IndexByte(rest, '"'); i > 0 && i <= 32 {
			t := rest[:i]
			for _, c := range t {
				if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
					return "other"
				}
			}
			return string(t)
		}
	}
	return "other"
}
