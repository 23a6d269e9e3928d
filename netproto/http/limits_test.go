package http

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestBasicPasswordErased(t *testing.T) {
	var seen [][]byte
	d := Decoder{IsDefault: func(user, password []byte) bool {
		seen = append(seen, append([]byte(nil), password...))
		return false
	}}
	// "nurse:Secr3t!pw" and a token too long to decode whole.
	long := "dXNlcjo" + strings.Repeat("QUFB", 120)
	d.Feed([]byte("GET / HTTP/1.1\r\nAuthorization: Basic bnVyc2U6U2VjcjN0IXB3\r\n\r\nGET / HTTP/1.1\r\nAuthorization: Basic " + long + "\r\n\r\n"))
	m, err := d.Next()
	if err != nil || string(m.BasicUser) != "nurse" {
		t.Fatalf("got %q, %v", m.BasicUser, err)
	}
	if bytes.Contains(m.Head, []byte("bnVyc2U6U2VjcjN0IXB3")) || !bytes.Contains(m.Head, []byte("Basic ********************")) {
		t.Errorf("credentials not masked in the head: %q", m.Head)
	}
	if bytes.Contains(d.cred[:], []byte("Secr3t")) {
		t.Error("password left in the decoder's buffer")
	}
	m, err = d.Next()
	if err != nil || string(m.BasicUser) != "user" || m.DefaultCredential {
		t.Fatalf("long token: got %q, %v", m.BasicUser, err)
	}
	if len(seen) != 1 || string(seen[0]) != "Secr3t!pw" {
		t.Errorf("IsDefault saw %q; want only the complete password", seen)
	}
}

func TestLimits(t *testing.T) {
	t.Run("path", func(t *testing.T) {
		d := Decoder{MaxPath: 10}
		d.Feed([]byte("GET /abcdefgh\xc3\xa9xyz HTTP/1.1\r\n\r\n"))
		m, err := d.Next()
		if err != nil || string(m.Target) != "/abcdefgh" || !m.TargetTruncated {
			t.Errorf("Target %q truncated %v, %v", m.Target, m.TargetTruncated, err)
		}
	})
	t.Run("headers", func(t *testing.T) {
		d := Decoder{MaxHeaders: 3}
		got := decodeAll(&d, []byte("GET / HTTP/1.1\r\na: 1\r\nb: 2\r\nc: 3\r\nd: 4\r\n\r\nGET /2 HTTP/1.1\r\n\r\n"), 0)
		want := "error http: too many headers at offset 0|request@42 GET /2 nobody"
		if strings.Join(got, "|") != want {
			t.Errorf("got %q", got)
		}
	})
	t.Run("head", func(t *testing.T) {
		d := Decoder{MaxHead: 64}
		in := "GET / HTTP/1.1\r\nX: " + strings.Repeat("a", 100) + "\r\n\r\nGET /" + strings.Repeat("b", 80) + " HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n\r\n"
		for _, chunk := range []int{0, 1, 13} {
			got := decodeAll(&d, []byte(in), chunk)
			if len(got) != 2 || !strings.HasPrefix(got[0], "error http: head too long at offset 0") || !strings.HasPrefix(got[1], "request@") || !strings.Contains(got[1], "GET /3") {
				t.Errorf("chunk %d: got %q", chunk, got)
			}
			if d.Buffered() > 64+2*dicomPrefix+64 {
				t.Errorf("holds %d bytes", d.Buffered())
			}
		}
	})
}

func TestGap(t *testing.T) {
	var d Decoder
	// A gap inside a body of known length is skipped with it.
	d.Feed([]byte("PUT /f HTTP/1.1\r\nContent-Length: 1000\r\n\r\nPK\x03\x04"))
	m, err := d.Next()
	if err != ErrNeedMore {
		t.Fatalf("message before its prefix: %v %v", summary(m, err), err)
	}
	d.Gap(900)
	m, err = d.Next()
	if err != nil || m.BodyMagic != MagicZIP {
		t.Fatalf("after the gap: %s", summary(m, err))
	}
	d.Feed(bytes.Repeat([]byte("x"), 96))
	if _, err := d.Next(); err != ErrNeedMore {
		t.Fatal(err)
	}
	d.Feed([]byte("GET /after HTTP/1.1\r\n\r\n"))
	if m, err := d.Next(); err != nil || string(m.Target) != "/after" {
		t.Fatalf("next message: %s", summary(m, err))
	}
	// A gap in a head: resynchronise without an error.
	d.Feed([]byte("GET /cut HTTP/1.1\r\nHo"))
	d.Next()
	d.Gap(-1)
	d.Feed([]byte("st: x\r\n\r\nGET /again HTTP/1.1\r\n\r\n"))
	m, err = d.Next()
	if err != nil || string(m.Target) != "/again" {
		t.Fatalf("after a gap in a head: %s", summary(m, err))
	}
}

func TestErrorOffsets(t *testing.T) {
	var d Decoder
	d.Feed([]byte("GET / HTTP/1.1\r\n\r\nBAD\r\n"))
	d.Next()
	_, err := d.Next()
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrStartLine) || e.ByteOffset() != 18 {
		t.Fatalf("err = %v", err)
	}
}

// TestRequestBeforeFeed tells a zero Decoder of a HEAD request before its
// first bytes, as an adapter does when the request comes first.
func TestRequestBeforeFeed(t *testing.T) {
	var d Decoder
	d.Request([]byte("HEAD"))
	d.Feed([]byte("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"))
	var got []string
	for {
		m, err := d.Next()
		if err == ErrNeedMore {
			break
		}
		got = append(got, summary(m, err))
	}
	if want := "response@0 200 cl=1000 nobody|response@41 204 nobody"; strings.Join(got, "|") != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
