//go:build linux

package capture

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/medtap/medtap/flow"
	"golang.org/x/sys/unix"
)

// Live reads packets from a network interface through a Linux AF_PACKET
// socket with a TPACKET_V3 ring: the kernel writes packets into blocks of
// memory shared with the process, and ReadPacket returns views into them,
// without a copy or a system call per packet.
//
// ReadPacket and Close may be called from different goroutines; Stop,
// Stats and Close are safe to call from any goroutine at any time. A Live
// is a [flow.Source]: after Stop (or the end of the context given to
// [OpenLive]) it returns what the ring already holds, then io.EOF, so that
// [flow.Engine.Run] returns and flushes the engine.
type Live struct {
	iface   string
	ifindex int
	link    flow.LinkType
	opt     LiveOptions
	fd      int
	ring    []byte
	bs      int // block size
	nb      int // number of blocks

	mu        sync.Mutex // held by ReadPacket and Close; guards below
	cur       int        // the block being read or waited for
	held      bool       // the block cur is ours (TP_STATUS_USER) until released
	left      uint32     // packets of the held block not yet returned
	off       int        // ring offset of the next packet of the held block
	end       int        // ring offset of the end of the held block
	draining  bool       // stopped: reading what the ring holds
	drainLeft int        // blocks and waits that draining may still take
	eof       bool
	closed    bool
	down      bool   // the interface went down
	vlan      []byte // a packet with the VLAN tag the kernel took off put back

	stopping atomic.Bool
	closing  atomic.Bool
	packets  atomic.Uint64
	waits    atomic.Uint64
	downs    atomic.Uint64

	wakeMu sync.Mutex // guards efd
	efd    int        // an eventfd that Stop and Close write to wake a waiting read

	statsMu sync.Mutex // guards stats and the use of fd by Stats
	stats   LiveStats  // the kernel's counters, summed (reading them resets them)

	stopCtx func() bool
}

// tpacketFrameSize is the frame size the ring request names. TPACKET_V3
// packs packets of any size into blocks and does not use frames, but the
// kernel still checks that blocks divide into them.
const tpacketFrameSize = 2048

// OpenLive opens a live source on the named interface. o may be nil for
// every default. Opening needs CAP_NET_RAW (and CAP_NET_ADMIN for
// promiscuous mode). When ctx is done the source stops as [Live.Stop]
// makes it (context.Background() for a source only Stop and Close end).
//
// Open several with the same [LiveOptions.FanoutGroup] on one interface,
// one per worker, to spread its flows over them.
func OpenLive(ctx context.Context, iface string, o *LiveOptions) (*Live, error) {
	opt, err := o.withDefaults(unix.Getpagesize())
	if err != nil {
		return nil, err
	}
	ifi, err := net.InterfaceByName(iface)
	if err != nil {
		var ne *net.OpError
		if errors.As(err, &ne) {
			err = ne.Err
		}
		return nil, fmt.Errorf("capture: interface %q: %w", iface, err)
	}
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		if errors.Is(err, unix.EPERM) {
			return nil, fmt.Errorf("capture: %s: AF_PACKET socket: %w (live capture needs root or CAP_NET_RAW)", iface, err)
		}
		return nil, fmt.Errorf("capture: %s: AF_PACKET socket: %w", iface, err)
	}
	l := &Live{iface: iface, ifindex: ifi.Index, opt: opt, fd: fd, efd: -1, bs: opt.BlockSize, nb: opt.NumBlocks}
	if err := l.setup(ifi.Index); err != nil {
		l.release()
		if errors.Is(err, ErrFilter) {
			return nil, err // names the expression
		}
		return nil, fmt.Errorf("capture: %s: %w", iface, err)
	}
	if ctx != nil {
		l.stopCtx = context.AfterFunc(ctx, l.Stop)
	}
	return l, nil
}

// setup configures the socket in an order that lets no packet in before
// the filter and the ring are in place: bound with protocol 0 the socket
// receives nothing; binding it again to ETH_P_ALL starts it.
func (l *Live) setup(ifindex int) error {
	fd := l.fd
	if err := unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_VERSION, unix.TPACKET_V3); err != nil {
		return fmt.Errorf("TPACKET_V3: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrLinklayer{Ifindex: ifindex}); err != nil {
		return fmt.Errorf("bind: %w", err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		return fmt.Errorf("getsockname: %w", err)
	}
	ll, ok := sa.(*unix.SockaddrLinklayer)
	if !ok {
		return errors.New("getsockname: not a link-layer address")
	}
	switch ll.Hatype {
	case unix.ARPHRD_ETHER, unix.ARPHRD_LOOPBACK:
		l.link = flow.LinkEthernet
	case unix.ARPHRD_NONE, unix.ARPHRD_RAWIP:
		l.link = flow.LinkRaw
	default:
		return fmt.Errorf("hardware type %d is not supported (Ethernet, loopback and raw IP devices are)", ll.Hatype)
	}
	prog := l.opt.Program
	if l.opt.Filter != "" {
		if prog, err = CompileFilter(l.opt.Filter, l.link, l.opt.SnapLen); err != nil {
			return err
		}
	}
	if len(prog) == 0 {
		prog = snapProgram(l.opt.SnapLen)
	}
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: (*unix.SockFilter)(unsafe.Pointer(&prog[0]))}
	if err := unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER, &fprog); err != nil {
		return fmt.Errorf("%w: %s: the kernel refused the program: %v", ErrFilter, l.iface, err)
	}
	req := unix.TpacketReq3{
		Block_size:     uint32(l.bs),
		Block_nr:       uint32(l.nb),
		Frame_size:     tpacketFrameSize,
		Frame_nr:       uint32(l.bs / tpacketFrameSize * l.nb),
		Retire_blk_tov: uint32(l.opt.BlockTimeout / time.Millisecond),
	}
	if err := unix.SetsockoptTpacketReq3(fd, unix.SOL_PACKET, unix.PACKET_RX_RING, &req); err != nil {
		return fmt.Errorf("ring of %d blocks of %d bytes: %w", l.nb, l.bs, err)
	}
	if l.ring, err = unix.Mmap(fd, 0, l.bs*l.nb, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED); err != nil {
		return fmt.Errorf("mmap of the ring: %w", err)
	}
	if l.opt.Promiscuous {
		mreq := unix.PacketMreq{Ifindex: int32(ifindex), Type: unix.PACKET_MR_PROMISC}
		if err := unix.SetsockoptPacketMreq(fd, unix.SOL_PACKET, unix.PACKET_ADD_MEMBERSHIP, &mreq); err != nil {
			return fmt.Errorf("promiscuous mode: %w", err)
		}
	}
	if l.efd, err = unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK); err != nil {
		return fmt.Errorf("eventfd: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrLinklayer{Ifindex: ifindex, Protocol: htons(unix.ETH_P_ALL)}); err != nil {
		return fmt.Errorf("bind: %w", err)
	}
	if l.opt.FanoutGroup != 0 {
		arg := uint32(l.opt.FanoutGroup) | uint32(unix.PACKET_FANOUT_HASH|unix.PACKET_FANOUT_FLAG_DEFRAG)<<16
		if err := unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_FANOUT, int(int32(arg))); err != nil {
			return fmt.Errorf("fanout group %d: %w (the group may exist with another mode or on another interface)", l.opt.FanoutGroup, err)
		}
	}
	return nil
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }

// blockStatus returns the status word of block i, which the kernel and
// the reader hand the block over with.
func (l *Live) blockStatus(i int) *uint32 {
	return (*uint32)(unsafe.Pointer(&l.ring[i*l.bs+8])) // after tpacket_block_desc's version and offset_to_priv
}

// blockHdr returns the header of block i.
func (l *Live) blockHdr(i int) *unix.TpacketHdrV1 {
	return (*unix.TpacketHdrV1)(unsafe.Pointer(&l.ring[i*l.bs+8]))
}

// ReadPacket returns the next packet, waiting for one as long as the link
// is quiet. data is valid until the next call (and until Close). After
// [Live.Stop] it returns the packets the ring holds, then io.EOF; after
// [Live.Close], io.EOF.
func (l *Live) ReadPacket() (ts time.Time, link flow.LinkType, data []byte, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for !l.closed && !l.eof {
		if l.held {
			if l.left > 0 {
				if ts, data, ok := l.next(); ok {
					l.packets.Add(1)
					return ts, l.link, data, nil
				}
			}
			l.releaseBlock()
			continue
		}
		if atomic.LoadUint32(l.blockStatus(l.cur))&unix.TP_STATUS_USER != 0 {
			h := l.blockHdr(l.cur)
			l.held = true
			l.left = h.Num_pkts
			l.off = l.cur*l.bs + int(h.Offset_to_first_pkt)
			l.end = (l.cur + 1) * l.bs
			continue
		}
		if l.closing.Load() {
			break
		}
		if l.stopping.Load() {
			// Read what the ring holds: the block being filled is handed
			// over within a block timeout; at most one ring's worth, so
			// that a busy link cannot keep a stopped reader going.
			if !l.draining {
				l.draining, l.drainLeft = true, 2*l.nb+2 // each block, and a wait for each
			}
			if l.drainLeft <= 0 {
				break
			}
			l.drainLeft--
			ready, err := l.poll(false, 2*l.opt.BlockTimeout+10*time.Millisecond)
			if err != nil {
				return time.Time{}, 0, nil, err
			}
			if !ready {
				break
			}
			continue
		}
		if _, err := l.poll(true, -1); err != nil {
			return time.Time{}, 0, nil, err
		}
	}
	l.eof = true
	return time.Time{}, 0, nil, io.EOF
}

// next returns the next packet of the held block, or false if the block
// is malformed.
func (l *Live) next() (time.Time, []byte, bool) {
	if l.off < 0 || l.off+unix.SizeofTpacket3Hdr > l.end {
		return time.Time{}, nil, false
	}
	h := (*unix.Tpacket3Hdr)(unsafe.Pointer(&l.ring[l.off]))
	start := l.off + int(h.Mac)
	stop := start + int(h.Snaplen)
	if stop > l.end {
		return time.Time{}, nil, false
	}
	data := l.ring[start:stop:stop]
	l.left--
	if h.Next_offset == 0 {
		l.left = 0
	}
	l.off += int(h.Next_offset)
	if h.Status&unix.TP_STATUS_VLAN_VALID != 0 && l.link == flow.LinkEthernet && len(data) >= 12 {
		tpid := uint16(unix.ETH_P_8021Q)
		if h.Status&unix.TP_STATUS_VLAN_TPID_VALID != 0 && h.Hv1.Vlan_tpid != 0 {
			tpid = h.Hv1.Vlan_tpid
		}
		tci := uint16(h.Hv1.Vlan_tci)
		l.vlan = append(append(append(l.vlan[:0], data[:12]...), byte(tpid>>8), byte(tpid), byte(tci>>8), byte(tci)), data[12:]...)
		data = l.vlan
	}
	return time.Unix(int64(h.Sec), int64(h.Nsec)), data, true
}

// releaseBlock hands the held block back to the kernel and moves on.
func (l *Live) releaseBlock() {
	atomic.StoreUint32(l.blockStatus(l.cur), unix.TP_STATUS_KERNEL)
	l.held = false
	l.cur = (l.cur + 1) % l.nb
	if l.draining {
		l.drainLeft--
	}
}

// poll waits until the socket has a block for the reader, for at most d
// (forever if d < 0), or, when wake is true, until Stop or Close. It
// reports whether the socket is ready.
func (l *Live) poll(wake bool, d time.Duration) (bool, error) {
	fds := [2]unix.PollFd{{Fd: int32(l.fd), Events: unix.POLLIN}, {Fd: int32(l.efd), Events: unix.POLLIN}}
	n := 1
	if wake {
		n = 2
	}
	ms := -1
	if d >= 0 {
		ms = int(d / time.Millisecond)
	}
	if l.down && (ms < 0 || ms > 250) {
		ms = 250 // watch for the interface being removed
	}
	l.waits.Add(1)
	for {
		k, err := unix.Poll(fds[:n], ms)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return false, fmt.Errorf("capture: %s: poll: %w", l.iface, err)
		}
		if k == 0 {
			if l.down && !l.bound() {
				return false, fmt.Errorf("capture: %s: the interface is gone", l.iface)
			}
			return false, nil
		}
		if fds[0].Revents&(unix.POLLERR|unix.POLLHUP|unix.POLLNVAL) != 0 {
			e, err := unix.GetsockoptInt(l.fd, unix.SOL_SOCKET, unix.SO_ERROR)
			switch {
			case err == nil && unix.Errno(e) == unix.ENETDOWN:
				// The interface went down. The kernel starts the socket
				// again when it comes up; when it is removed, the socket
				// is unbound, which poll watches for.
				if !l.bound() {
					return false, fmt.Errorf("capture: %s: the interface is gone", l.iface)
				}
				l.down = true
				l.downs.Add(1)
				return false, nil
			case err == nil && e != 0:
				return false, fmt.Errorf("capture: %s: %w", l.iface, unix.Errno(e))
			}
			return false, fmt.Errorf("capture: %s: the socket failed (poll events %#x)", l.iface, fds[0].Revents)
		}
		if fds[0].Revents&unix.POLLIN != 0 {
			l.down = false
			return true, nil
		}
		return false, nil
	}
}

// bound reports whether the socket is still bound to its interface (the
// kernel unbinds it when the interface is removed).
func (l *Live) bound() bool {
	sa, err := unix.Getsockname(l.fd)
	ll, ok := sa.(*unix.SockaddrLinklayer)
	return err == nil && ok && ll.Ifindex == l.ifindex
}

// Stop ends the capture: ReadPacket, also one waiting in another
// goroutine, returns the packets the ring already holds (at most one
// ring's worth), then io.EOF. The socket stays open, and Stats current,
// until Close.
func (l *Live) Stop() {
	l.stopping.Store(true)
	l.wake()
}

func (l *Live) wake() {
	l.wakeMu.Lock()
	defer l.wakeMu.Unlock()
	if l.efd >= 0 {
		one := [8]byte{1}
		unix.Write(l.efd, one[:])
	}
}

// Close stops the capture at once (a waiting ReadPacket returns io.EOF),
// then releases the ring and the socket. The data of the last packet read
// is invalid once Close returns: call it from the reading goroutine, or
// after the reader is done with the packet (to end a read loop from
// elsewhere, call Stop or end the context). The counters of [Live.Stats]
// stay.
func (l *Live) Close() error {
	l.closing.Store(true)
	l.stopping.Store(true)
	l.wake()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.Stats() // keep the last counters
	l.closed = true
	return l.release()
}

// release frees what setup made.
func (l *Live) release() error {
	if l.stopCtx != nil {
		l.stopCtx()
	}
	var err error
	if l.ring != nil {
		err = unix.Munmap(l.ring)
		l.ring = nil
	}
	l.statsMu.Lock()
	if l.fd >= 0 {
		if e := unix.Close(l.fd); err == nil {
			err = e
		}
		l.fd = -1
	}
	l.statsMu.Unlock()
	l.wakeMu.Lock()
	if l.efd >= 0 {
		unix.Close(l.efd)
		l.efd = -1
	}
	l.wakeMu.Unlock()
	return err
}

// Stats returns the counters: packets returned, and the kernel's counts
// of packets received and dropped.
func (l *Live) Stats() LiveStats {
	l.statsMu.Lock()
	defer l.statsMu.Unlock()
	if l.fd >= 0 {
		var s unix.TpacketStatsV3
		n := uint32(unsafe.Sizeof(s))
		_, _, e := unix.Syscall6(unix.SYS_GETSOCKOPT, uintptr(l.fd), unix.SOL_PACKET, unix.PACKET_STATISTICS,
			uintptr(unsafe.Pointer(&s)), uintptr(unsafe.Pointer(&n)), 0)
		if e == 0 {
			l.stats.Received += uint64(s.Packets)
			l.stats.Drops += uint64(s.Drops)
			l.stats.Freezes += uint64(s.Freeze_q_cnt)
		}
	}
	st := l.stats
	st.Packets = l.packets.Load()
	st.Waits = l.waits.Load()
	st.LinkDowns = l.downs.Load()
	return st
}

// LinkType returns the link type of the packets: Ethernet, or raw IP for
// devices without a link layer.
func (l *Live) LinkType() flow.LinkType { return l.link }

// Interface returns the name of the interface.
func (l *Live) Interface() string { return l.iface }
