package capture

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/medtap/medtap/flow"
	"golang.org/x/net/bpf"
)

// Defaults and limits of [LiveOptions].
const (
	// DefaultSnapLen is the default of LiveOptions.SnapLen: tcpdump's
	// default, more than any frame, so that packets are kept whole.
	DefaultSnapLen = 262144
	// DefaultBlockSize is the default of LiveOptions.BlockSize.
	DefaultBlockSize = 1 << 20
	// DefaultNumBlocks is the default of LiveOptions.NumBlocks: with
	// DefaultBlockSize a ring of 32 MiB per socket.
	DefaultNumBlocks = 32
	// DefaultBlockTimeout is the default of LiveOptions.BlockTimeout.
	DefaultBlockTimeout = 10 * time.Millisecond
	// MaxRingSize caps BlockSize × NumBlocks, the memory one socket's ring
	// holds in the kernel (on 32-bit systems, 1 GiB).
	MaxRingSize = 4 << 30
	// MaxBlockSize caps LiveOptions.BlockSize.
	MaxBlockSize = 128 << 20
	// MaxFilterInstructions is the kernel's limit on a classic BPF
	// program (BPF_MAXINSNS).
	MaxFilterInstructions = 4096
)

// maxRing is MaxRingSize, or less where an int cannot count it.
const maxRing = int64(min(MaxRingSize, math.MaxInt/2))

// ErrLiveOptions is wrapped by the errors [OpenLive] returns for options
// out of range.
var ErrLiveOptions = errors.New("capture: live options")

// ErrLiveUnsupported is returned by [OpenLive] on systems without a live
// source (every system but Linux).
var ErrLiveUnsupported = errors.New("capture: live capture is only supported on Linux (AF_PACKET)")

// ErrFilter is wrapped by the errors of [CompileFilter].
var ErrFilter = errors.New("capture: filter")

// LiveOptions configure a live source made by [OpenLive]. The zero value,
// like a nil *LiveOptions, selects every default: whole packets, a ring of
// DefaultNumBlocks blocks of DefaultBlockSize bytes, no fanout, no filter,
// not promiscuous.
type LiveOptions struct {
	// SnapLen is the number of bytes kept of each packet (the rest is cut
	// off by the socket's filter, before the packet reaches the ring).
	// 0 selects DefaultSnapLen. Packets longer than a block are cut to
	// the block by the kernel.
	SnapLen int
	// BlockSize is the size in bytes of one block of the TPACKET_V3 ring
	// the kernel fills and hands over whole: a multiple of the page size,
	// at most MaxBlockSize. 0 selects DefaultBlockSize.
	BlockSize int
	// NumBlocks is the number of blocks of the ring; BlockSize × NumBlocks
	// is the ring's size, at most MaxRingSize. 0 selects DefaultNumBlocks.
	NumBlocks int
	// BlockTimeout is how long the kernel waits before it hands over a
	// block that is not full: the longest a packet waits in the ring on
	// a quiet link. Between 1 ms and 1 minute; 0 selects
	// DefaultBlockTimeout.
	BlockTimeout time.Duration
	// FanoutGroup, when not 0, joins the socket to that PACKET_FANOUT
	// group of the interface in hash mode (PACKET_FANOUT_HASH with
	// PACKET_FANOUT_FLAG_DEFRAG): the kernel spreads packets over the
	// sockets of the group by a hash of the flow that is the same in both
	// directions, so each flow reaches one socket whole. The sockets of
	// one group are the workers of one sensor; every one must use the same
	// interface. IP fragments are reassembled by the kernel before
	// hashing, so the sockets of a group see whole datagrams.
	FanoutGroup uint16
	// Promiscuous puts the interface into promiscuous mode for as long as
	// the socket is open (what a sensor on a mirror port or tap needs).
	Promiscuous bool
	// Filter is a pcap-filter(7) expression, as tcpdump takes; only
	// matching packets reach the ring. It is compiled by [CompileFilter],
	// which runs tcpdump. Leave it empty and set Program to give compiled
	// instructions instead.
	Filter string
	// Program is a compiled classic BPF filter (as `tcpdump -ddd` prints
	// and golang.org/x/net/bpf assembles); its return value is the number
	// of bytes kept, so it also sets the snap length. Only one of Filter
	// and Program may be set.
	Program []bpf.RawInstruction
}

// withDefaults checks o and returns it with every default applied.
func (o *LiveOptions) withDefaults(pageSize int) (LiveOptions, error) {
	var opt LiveOptions
	if o != nil {
		opt = *o
	}
	bad := func(format string, args ...any) (LiveOptions, error) {
		return LiveOptions{}, fmt.Errorf("%w: "+format, append([]any{ErrLiveOptions}, args...)...)
	}
	if opt.SnapLen == 0 {
		opt.SnapLen = DefaultSnapLen
	}
	if opt.BlockSize == 0 {
		opt.BlockSize = DefaultBlockSize
	}
	if opt.NumBlocks == 0 {
		opt.NumBlocks = DefaultNumBlocks
	}
	if opt.BlockTimeout == 0 {
		opt.BlockTimeout = DefaultBlockTimeout
	}
	switch {
	case opt.SnapLen < 64 || opt.SnapLen > DefaultSnapLen:
		return bad("snap length %d: want 64 to %d bytes", opt.SnapLen, DefaultSnapLen)
	case opt.BlockSize < pageSize || opt.BlockSize > MaxBlockSize || opt.BlockSize%pageSize != 0:
		return bad("block size %d: want a multiple of the page size (%d) up to %d", opt.BlockSize, pageSize, MaxBlockSize)
	case opt.NumBlocks < 1 || int64(opt.NumBlocks)*int64(opt.BlockSize) > maxRing:
		return bad("%d blocks of %d bytes: want at least 1 and a ring of at most %d bytes", opt.NumBlocks, opt.BlockSize, maxRing)
	case opt.BlockTimeout < time.Millisecond || opt.BlockTimeout > time.Minute:
		return bad("block timeout %v: want 1ms to 1m", opt.BlockTimeout)
	case opt.Filter != "" && opt.Program != nil:
		return bad("both a filter expression and a compiled program")
	case len(opt.Program) > MaxFilterInstructions:
		return bad("filter program of %d instructions: the kernel takes at most %d", len(opt.Program), MaxFilterInstructions)
	}
	return opt, nil
}

// LiveStats are the counters of a live source.
type LiveStats struct {
	// Packets is the number of packets ReadPacket returned.
	Packets uint64
	// Received is the number of packets the kernel passed the socket's
	// filter, dropped ones included (tp_packets).
	Received uint64
	// Drops is the number of packets the kernel dropped because the ring
	// was full (tp_drops): the reader was too slow.
	Drops uint64
	// Freezes is the number of times the ring filled up and the kernel
	// froze the queue until a block was handed back (tp_freeze_q_cnt).
	Freezes uint64
	// Waits is the number of times ReadPacket found the ring empty and
	// waited for the kernel to hand over a block.
	Waits uint64
	// LinkDowns is the number of times the interface went down (the
	// capture goes on when it comes up again; when it is removed,
	// ReadPacket fails).
	LinkDowns uint64
}

// linkName is the name tcpdump's -y takes for a link type.
func linkName(link flow.LinkType) (string, bool) {
	switch link {
	case flow.LinkEthernet:
		return "EN10MB", true
	case flow.LinkRaw:
		return "RAW", true
	case flow.LinkLinuxSLL:
		return "LINUX_SLL", true
	}
	return "", false
}

// CompileFilter compiles a pcap-filter(7) expression into classic BPF for
// packets of the given link type, keeping snapLen bytes of each match (0
// for DefaultSnapLen). It runs `tcpdump -ddd` (libpcap's compiler, the
// reference for the syntax), so tcpdump must be installed; no privilege
// is needed. A program compiled once can be given to several sockets
// through [LiveOptions.Program].
func CompileFilter(expr string, link flow.LinkType, snapLen int) ([]bpf.RawInstruction, error) {
	if snapLen == 0 {
		snapLen = DefaultSnapLen
	}
	name, ok := linkName(link)
	if !ok {
		return nil, fmt.Errorf("%w: link type %d is not supported", ErrFilter, link)
	}
	path, err := exec.LookPath("tcpdump")
	if err != nil {
		return nil, fmt.Errorf("%w: compiling %q needs tcpdump (install it, or give compiled instructions in LiveOptions.Program): %v", ErrFilter, expr, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "-ddd", "-y", name, "-s", strconv.Itoa(snapLen), "--", expr)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		msg = strings.TrimPrefix(msg, "tcpdump: ")
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("%w: %q: %s", ErrFilter, expr, msg)
	}
	prog, err := parseDDD(out)
	if err != nil {
		return nil, fmt.Errorf("%w: %q: tcpdump -ddd: %v", ErrFilter, expr, err)
	}
	return prog, nil
}

// parseDDD parses the output of tcpdump -ddd: the number of instructions,
// then one "code jt jf k" line for each, in decimal.
func parseDDD(out []byte) ([]bpf.RawInstruction, error) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	if !sc.Scan() {
		return nil, errors.New("no output")
	}
	n, err := strconv.Atoi(strings.TrimSpace(sc.Text()))
	if err != nil || n < 1 || n > MaxFilterInstructions {
		return nil, fmt.Errorf("bad instruction count %q", sc.Text())
	}
	prog := make([]bpf.RawInstruction, 0, n)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		var v [4]uint64
		if len(f) != 4 {
			return nil, fmt.Errorf("instruction %d: %q", len(prog), sc.Text())
		}
		for i, bits := range [4]int{16, 8, 8, 32} {
			if v[i], err = strconv.ParseUint(f[i], 10, bits); err != nil {
				return nil, fmt.Errorf("instruction %d: %q", len(prog), sc.Text())
			}
		}
		if len(prog) == n {
			return nil, fmt.Errorf("more than the %d instructions announced", n)
		}
		prog = append(prog, bpf.RawInstruction{Op: uint16(v[0]), Jt: uint8(v[1]), Jf: uint8(v[2]), K: uint32(v[3])})
	}
	if len(prog) != n {
		return nil, fmt.Errorf("%d instructions, %d announced", len(prog), n)
	}
	return prog, nil
}

// snapProgram is the filter of a socket without one: accept every packet,
// keeping snapLen bytes.
func snapProgram(snapLen int) []bpf.RawInstruction {
	return []bpf.RawInstruction{{Op: 0x06, K: uint32(snapLen)}} // ret #snapLen
}
