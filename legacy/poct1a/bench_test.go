package poct1a

import (
	"strings"
	"testing"
)

// sampleStream is the device side of the test conversation.
func sampleStream() []byte {
	device, _ := conversation()
	return []byte(strings.Join(device, "\r\n"))
}

// decodeStream feeds data in chunks and counts observations.
func decodeStream(d *Decoder, data []byte, chunk int) int {
	d.Reset()
	n := 0
	for len(data) > 0 {
		c := min(chunk, len(data))
		d.Feed(data[:c])
		data = data[c:]
		for {
			it, err := d.Next()
			if err == ErrNeedMore {
				break
			}
			switch it.Kind {
			case KindObservation:
				n += len(it.Observation.Value)
			case KindNote:
				n += len(it.Note.Body)
			}
		}
	}
	return n
}

func BenchmarkDecoder(b *testing.B) {
	data := sampleStream()
	d := new(Decoder)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		decodeStream(d, data, 1460)
	}
}
