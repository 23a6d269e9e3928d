//go:build !linux

package capture

import (
	"context"
	"io"
	"time"

	"github.com/medtap/medtap/flow"
)

// Live reads packets from a network interface. It is only implemented on
// Linux; elsewhere [OpenLive] returns ErrLiveUnsupported.
type Live struct{}

// OpenLive returns ErrLiveUnsupported: live capture is only implemented
// on Linux.
func OpenLive(ctx context.Context, iface string, o *LiveOptions) (*Live, error) {
	if _, err := o.withDefaults(4096); err != nil {
		return nil, err
	}
	return nil, ErrLiveUnsupported
}

// ReadPacket returns io.EOF.
func (l *Live) ReadPacket() (ts time.Time, link flow.LinkType, data []byte, err error) {
	return time.Time{}, 0, nil, io.EOF
}

// Stop does nothing.
func (l *Live) Stop() {}

// Close does nothing.
func (l *Live) Close() error { return nil }

// Stats returns zero counters.
func (l *Live) Stats() LiveStats { return LiveStats{} }

// LinkType returns 0.
func (l *Live) LinkType() flow.LinkType { return 0 }

// Interface returns "".
func (l *Live) Interface() string { return "" }
