// Command gencapture writes the synthetic bulk DICOM C-STORE capture that
// the pipeline benchmark uses, for tools outside Go (tshark) to read.
//
//	go run ./bench/cmd/gencapture -o /tmp/cstore.pcap [-n 200] [-size 262144]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/medtap/medtap/internal/synth"
)

func main() {
	out := flag.String("o", "cstore.pcap", "output file")
	n := flag.Int("n", 200, "associations")
	size := flag.Int("size", 256<<10, "pixel data bytes per stored object")
	pdu := flag.Int("pdu", 16<<10, "maximum P-DATA-TF PDU length")
	flag.Parse()
	c := synth.DICOMStore(*n, *size, *pdu)
	if err := os.WriteFile(*out, c.Pcap(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gencapture:", err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d associations, %d packets, %d bytes of frames\n", *out, *n, len(c.Frames), c.Size())
}
