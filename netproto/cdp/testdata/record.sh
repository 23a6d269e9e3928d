#!/bin/bash
# cdp.pcap is recorded with lldp.pcap, from the same lldpd peers (two of
# which send CDPv1 and CDPv2): see ../../lldp/testdata/record.sh, which this
# runs. Run as root; needs lldpd, tcpdump, iproute2.
exec bash "$(dirname "$0")/../../lldp/testdata/record.sh" "$@"
