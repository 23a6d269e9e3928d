package http

import (
	"errors"
	"fmt"
	"strings"
)

// summary renders a message or an error in one line, for comparisons.
func summary(m Message, err error) string {
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return fmt.Sprintf("error %v", e)
		}
		return "error " + err.Error()
	}
	var b strings.Builder
	if m.Kind == KindRequest {
		fmt.Fprintf(&b, "request@%d %s %s", m.Offset, m.Method, m.Target)
		if m.TargetTruncated {
			b.WriteString(" (truncated)")
		}
	} else {
		fmt.Fprintf(&b, "response@%d %d", m.Offset, m.Status)
	}
	for _, f := range []struct {
		k string
		v []byte
	}{{"host", m.Host}, {"ua", m.UserAgent}, {"server", m.Server}, {"ct", m.ContentType}} {
		if f.v != nil {
			fmt.Fprintf(&b, " %s=%q", f.k, f.v)
		}
	}
	if m.ContentLength >= 0 {
		fmt.Fprintf(&b, " cl=%d", m.ContentLength)
	}
	if m.Chunked {
		b.WriteString(" chunked")
	}
	if !m.Body {
		b.WriteString(" nobody")
	}
	if m.Tunnel {
		b.WriteString(" tunnel")
	}
	if m.BasicAuth {
		fmt.Fprintf(&b, " basic=%q", m.BasicUser)
		if m.DefaultCredential {
			b.WriteString(" default")
		}
	}
	if m.BodyMagic != MagicNone {
		fmt.Fprintf(&b, " magic=%v", m.BodyMagic)
		if m.PreambleExecutable {
			b.WriteString(" exec")
		}
	}
	return b.String()
}

// decodeAll feeds stream to d in chunks of the given size (0: whole),
// flushes, and returns the summaries of what Next returned. For a response
// stream, requests lists the methods of the requests, told to d first.
func decodeAll(d *Decoder, stream []byte, chunk int, requests ...string) []string {
	d.Reset()
	for _, m := range requests {
		d.Request([]byte(m))
	}
	var out []string
	drain := func() {
		for {
			m, err := d.Next()
			if err == ErrNeedMore {
				return
			}
			out = append(out, summary(m, err))
		}
	}
	if chunk <= 0 {
		chunk = len(stream) + 1
	}
	for i := 0; i < len(stream); i += chunk {
		d.Feed(stream[i:min(len(stream), i+chunk)])
		drain()
	}
	d.Flush()
	drain()
	return out
}

// dicomFile returns a small Part 10 file whose preamble starts with pre.
func dicomFile(pre string) []byte {
	b := make([]byte, 128, 200)
	copy(b, pre)
	b = append(b, "DICM\x02\x00\x00\x00UL\x04\x00\x00\x00\x00\x00"...)
	return b
}

func isDefaultTest(user, password []byte) bool {
	return string(user) == "admin" && string(password) == "admin"
}
