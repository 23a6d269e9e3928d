#!/bin/bash
# record.sh: records hospital.pcap, a labelled capture of a small hospital
# network for the inventory's accuracy test (fingerprint/eval_test.go), and
# labels.tsv says what every device is.
#
#   sudo fingerprint/testdata/eval/record.sh
#
# Runs as root (network namespaces, tcpdump) on Debian 12 with:
#   apt-get install iproute2 tcpdump dcmtk orthanc python3-hl7 \
#       dnsmasq-base isc-dhcp-client busybox python3-pydicom
# and reads four ASTM streams of real analysers from medtap's shared corpus
# (senaite.astm's test data, CORPUS, default ../shared/corpus beside the
# repository; see its README).
#
# Every peer is real software in its own network namespace (made with
# internal/netns/netns.sh: prefix mtfp, addresses only inside 10.222.0.0/24,
# veth pairs into one bridge, nothing routed out), with a MAC address under
# the IEEE block (Debian ieee-data, oui.csv) of the vendor of the device it
# plays. The DICOM files sent are real files of those vendors, their
# Manufacturer and ManufacturerModelName elements as the devices wrote them;
# the ASTM records are those real analysers sent; the HL7 sending
# application of the EHR is the MSH-3 of a public Epic sample message.
#
#   address      MAC                vendor block       plays
#   10.222.0.1   02:22:00:00:00:01  (local)            DHCP server: dnsmasq (not labelled)
#   10.222.0.10  00:06:5b:0a:00:10  Dell Inc.          PACS: Orthanc, AE PACS, DICOM on 104
#   10.222.0.11  00:14:38:0b:00:11  HPE                interface engine: hl7peer.py server (python3-hl7), MLLP on 2575
#   10.222.0.12  00:14:38:0b:00:12  HPE                EHR: hl7peer.py send, MSH-3 EPIC (ORM^O01, ADT^A08)
#   10.222.0.21  a0:f2:17:0c:00:21  GE Medical System (China)
#                                                      GE CT: storescu of pydicom's CT_small.dcm (GE MEDICAL SYSTEMS, RHAPSODE)
#   10.222.0.22  00:09:5c:0d:00:22  Philips Medical Systems (CMS)
#                                                      Philips MR: storescu of dicom/testdata/3.dcm (Philips Medical Systems, Achieva)
#   10.222.0.23  08:00:66:0e:00:23  AGFA CORPORATION   Agfa CR: storescu of pydicom's chrJapMulti.dcm (Agfa-Gevaert AG, ADC_5156)
#   10.222.0.24  a0:f2:17:0c:00:24  GE Medical System (China)
#                                                      GE NM: storescu of pydicom's JPEG-lossy.dcm (GE Medical Systems, MILLENNIUM MG)
#   10.222.0.25  a0:f2:17:0c:00:25  GE Medical System (China)
#                                                      GE US: storescu of pydicom's ExplVR_BigEnd.dcm (G.E. Medical Systems, LOGIQ 700)
#   10.222.0.26  00:15:b7:12:00:26  Toshiba            Toshiba MR: storescu of pydicom's MR_small.dcm (TOSHIBA_MEC, MRT50H1)
#   10.222.0.30  00:06:5b:0a:00:30  Dell Inc.          LIS: astmpeer.py server, ASTM on 4001; sends an ORU^R01 (MSH-3 LIS)
#   10.222.0.31  10:c5:95:0f:00:31  Lenovo             radiology workstation: findscu, movescu (own SCP on 11113, AE RADWS); DHCP (dhclient)
#   10.222.0.41  00:60:19:10:00:41  Roche Diagnostics  cobas c311: astmpeer.py send of senaite-cobas_c311.txt; DHCP (udhcpc)
#   10.222.0.42  00:06:6b:11:00:42  Sysmex Corporation XN-550: astmpeer.py send of senaite-sysmex_xn550.txt; DHCP (udhcpc)
#   10.222.0.43  8c:1f:64:c0:10:43  HORIBA ABX SAS     Yumizen H500: astmpeer.py send of senaite-yumizen_h500.txt (31 frames)
#   10.222.0.44  00:21:38:13:00:44  Cepheid            GeneXpert: astmpeer.py send of senaite-genexpert.txt (delimiters |@^\)
#
# The day, in order: the workstation, the cobas c311 and the XN-550 get
# their addresses from dnsmasq (reserved by MAC; dhclient and udhcpc send
# host names, udhcpc its vendor class); the six modalities store their
# images to the PACS (the CT and the MRs after a C-ECHO); the workstation
# queries the PACS for the CT study and moves it to itself; the four
# analysers send their results to the LIS; the EHR and the LIS send HL7 to
# the engine.
#
# GDCM's gdcmscu (Debian 12, libgdcm-tools 3.0.21) aborts before it connects
# ("ProtocolStream as nullptr is invalid"), so every DICOM client is DCMTK's.
#
# Patients are those of the sample files and fake ones in the .hl7 files.
# Packet times, ports and sequence numbers differ from run to run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
corpus=${CORPUS:-$root/../shared/corpus}
out=$here/hospital.pcap
PY=/usr/bin/python3
pyd=/usr/lib/python3/dist-packages/pydicom/data

say() { printf '%s record.sh: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (network namespaces, tcpdump)"
for c in ip tcpdump busybox storescu findscu movescu echoscu dcmdump /usr/sbin/Orthanc dnsmasq dhclient $PY; do
	command -v "$c" >/dev/null || die "missing $c (see the package list at the top)"
done
$PY -c 'import hl7.mllp' 2>/dev/null || die "missing python3-hl7"
CT=$pyd/test_files/CT_small.dcm
NM=$pyd/test_files/JPEG-lossy.dcm
CR=$pyd/charset_files/chrJapMulti.dcm
MR=$root/dicom/testdata/3.dcm
US=$pyd/test_files/ExplVR_BigEnd.dcm
MR2=$pyd/test_files/MR_small.dcm
C311=$corpus/astm/senaite-cobas_c311.txt
XN550=$corpus/astm/senaite-sysmex_xn550.txt
H500=$corpus/astm/senaite-yumizen_h500.txt
XPERT=$corpus/astm/senaite-genexpert.txt
for f in "$CT" "$NM" "$CR" "$MR" "$US" "$MR2" "$C311" "$XN550" "$H500" "$XPERT"; do
	[ -r "$f" ] || die "missing $f"
done

MT_PREFIX=mtfp
MT_NET=10.222.0
. "$root/internal/netns/netns.sh"
tmp=$(mktemp -d /tmp/mtfp.XXXXXX)
chmod 755 "$tmp"
net=$MT_NET
trap 'rc=$?; [ $rc = 0 ] || tail -n 20 "$tmp"/*.log >&2 2>/dev/null; mt_cleanup; rm -rf "$tmp"' EXIT

# host NAME N MAC: a peer at $net.N whose interface has MAC.
host() {
	mt_peer "$1" "$2"
	local ns=$MT_PREFIX$1
	ip -n "$ns" link set dev "${ns}0" down
	ip -n "$ns" link set dev "${ns}0" address "$3"
	ip -n "$ns" link set dev "${ns}0" up
}

mt_bridge
host dhcp 1 02:22:00:00:00:01
host pacs 10 00:06:5b:0a:00:10
host engine 11 00:14:38:0b:00:11
host ehr 12 00:14:38:0b:00:12
host ct 21 a0:f2:17:0c:00:21
host mr 22 00:09:5c:0d:00:22
host cr 23 08:00:66:0e:00:23
host nm 24 a0:f2:17:0c:00:24
host us 25 a0:f2:17:0c:00:25
host mr2 26 00:15:b7:12:00:26
host lis 30 00:06:5b:0a:00:30
host ws 31 10:c5:95:0f:00:31
host c311 41 00:60:19:10:00:41
host xn550 42 00:06:6b:11:00:42
host h500 43 8c:1f:64:c0:10:43
host xpert 44 00:21:38:13:00:44
# The DHCP clients have no address until dnsmasq gives them one.
for h in ws c311 xn550; do ip -n "$MT_PREFIX$h" addr flush dev "$MT_PREFIX${h}0"; done

say "starting dnsmasq, Orthanc, the LIS and the interface engine"
mt_in dhcp dnsmasq --no-daemon --no-ping --conf-file=/dev/null --port=0 --user=root --group=root \
	--interface="${MT_PREFIX}dhcp0" --bind-interfaces --pid-file="$tmp/dnsmasq.pid" \
	--dhcp-leasefile="$tmp/dnsmasq.leases" --dhcp-authoritative --log-dhcp --log-facility="$tmp/dnsmasq.log" \
	--domain=eval.example --dhcp-range="$net.0,static,255.255.255.0,1h" \
	--dhcp-host=10:c5:95:0f:00:31,"$net.31" --dhcp-host=00:60:19:10:00:41,"$net.41" \
	--dhcp-host=00:06:6b:11:00:42,"$net.42" >"$tmp/dnsmasq.out.log" 2>&1 &

mkdir -p "$tmp/orthanc" "$tmp/ws"
cat >"$tmp/orthanc/orthanc.json" <<EOF
{
  "Name" : "EVAL-PACS",
  "StorageDirectory" : "$tmp/orthanc/db",
  "IndexDirectory" : "$tmp/orthanc/db",
  "Plugins" : [ ],
  "HttpServerEnabled" : false,
  "DicomServerEnabled" : true,
  "DicomAet" : "PACS",
  "DicomPort" : 104,
  "DicomCheckCalledAet" : true,
  "DicomAlwaysAllowEcho" : true,
  "DicomAlwaysAllowStore" : true,
  "DicomAlwaysAllowFind" : true,
  "DicomAlwaysAllowMove" : true,
  "DicomAssociationCloseDelay" : 0,
  "DicomModalities" : { "radws" : [ "RADWS", "$net.31", 11113 ] },
  "SaveJobs" : false,
  "StableAge" : 2,
  "ConcurrentJobs" : 1
}
EOF
mt_in pacs /usr/sbin/Orthanc "$tmp/orthanc/orthanc.json" >"$tmp/orthanc.log" 2>&1 &
mt_in lis $PY "$here/astmpeer.py" server 0.0.0.0 4001 >"$tmp/lis.log" 2>&1 &
mt_in engine $PY "$here/hl7peer.py" server 0.0.0.0 2575 >"$tmp/engine.log" 2>&1 &
mt_wait_port pacs 104
mt_wait_port lis 4001
mt_wait_port engine 2575

mt_capture "$tmp/hospital.pcap" "ip or arp"

say "DHCP: the workstation and the analysers"
cat >"$tmp/dhclient-script" <<'SCRIPT'
#!/bin/sh
case "$reason" in
PREINIT) ip link set dev "$interface" up ;;
BOUND|RENEW|REBIND|REBOOT) ip addr replace "$new_ip_address/24" dev "$interface" ;;
EXPIRE|FAIL|RELEASE|STOP) ip -4 addr flush dev "$interface" ;;
esac
exit 0
SCRIPT
chmod 755 "$tmp/dhclient-script"
# The workstation runs ISC dhclient; the analysers, embedded Linux devices,
# BusyBox's udhcpc, which sends its vendor class "udhcp 1.35.0".
printf 'send host-name "RADWS-01";\nrequest subnet-mask, routers, domain-name, domain-name-servers, host-name, ntp-servers;\n' \
	>"$tmp/ws.conf"
mt_in ws timeout 30 dhclient -4 -1 -v -cf "$tmp/ws.conf" -lf "$tmp/ws.leases" -pf "$tmp/ws.pid" \
	-sf "$tmp/dhclient-script" "${MT_PREFIX}ws0" >"$tmp/dhclient-ws.log" 2>&1 || die "dhclient failed"
cat >"$tmp/udhcpc-script" <<'SCRIPT'
#!/bin/sh
case "$1" in
bound|renew) ip addr replace "$ip/24" dev "$interface" ;;
deconfig) ip -4 addr flush dev "$interface" ;;
esac
exit 0
SCRIPT
chmod 755 "$tmp/udhcpc-script"
for h in c311:COBAS-C311 xn550:XN-550; do
	ns=${h%%:*}
	mt_in "$ns" timeout 30 busybox udhcpc -i "$MT_PREFIX${ns}0" -f -q -n -t 5 -s "$tmp/udhcpc-script" \
		-x hostname:"${h#*:}" >"$tmp/udhcpc-$ns.log" 2>&1 || die "udhcpc in $ns failed"
done
sleep 0.5

say "DICOM: the modalities echo and store"
mt_in ct echoscu -aet CT_RHAPSODE -aec PACS "$net.10" 104
mt_in ct storescu -aet CT_RHAPSODE -aec PACS "$net.10" 104 "$CT"
mt_in mr echoscu -aet MR_ACHIEVA -aec PACS "$net.10" 104
mt_in mr storescu -aet MR_ACHIEVA -aec PACS "$net.10" 104 "$MR"
mt_in cr storescu -aet CR_ADC5156 -aec PACS "$net.10" 104 "$CR"
mt_in nm storescu -aet NM_MILLENNIUM -aec PACS -xx -R "$net.10" 104 "$NM"
mt_in us storescu -aet US_LOGIQ700 -aec PACS -xb -R "$net.10" 104 "$US"
mt_in mr2 echoscu -aet MR_MRT50H1 -aec PACS "$net.10" 104
mt_in mr2 storescu -aet MR_MRT50H1 -aec PACS "$net.10" 104 "$MR2"
sleep 0.5

say "DICOM: the workstation queries and moves the CT study to itself"
study=$(dcmdump +P 0020,000d "$CT" | sed -n 's/.*\[\(.*\)\].*/\1/p')
[ -n "$study" ] || die "no StudyInstanceUID in $CT"
mt_in ws findscu -aet RADWS -aec PACS -S -k QueryRetrieveLevel=STUDY -k PatientName -k StudyDate \
	-k "StudyInstanceUID=$study" -k ModalitiesInStudy "$net.10" 104 >"$tmp/findscu.log" 2>&1
mt_in ws movescu -aet RADWS -aec PACS -aem RADWS --port 11113 -od "$tmp/ws" -S \
	-k QueryRetrieveLevel=STUDY -k "StudyInstanceUID=$study" "$net.10" 104 >"$tmp/movescu.log" 2>&1
n=$(find "$tmp/ws" -type f | wc -l)
[ "$n" -ge 1 ] || die "the workstation received nothing from the C-MOVE"

say "ASTM: the analysers send their results to the LIS"
mt_in c311 $PY "$here/astmpeer.py" send "$net.30" 4001 "$C311"
mt_in xn550 $PY "$here/astmpeer.py" send "$net.30" 4001 "$XN550"
mt_in h500 $PY "$here/astmpeer.py" send "$net.30" 4001 "$H500"
mt_in xpert $PY "$here/astmpeer.py" send "$net.30" 4001 "$XPERT"

say "HL7: the EHR and the LIS send to the interface engine"
mt_in ehr $PY "$here/hl7peer.py" send "$net.11" 2575 "$here/epic-orm.hl7"
mt_in lis $PY "$here/hl7peer.py" send "$net.11" 2575 "$here/lis-oru.hl7"

mt_stop_capture
cp "$tmp/hospital.pcap" "$out"
chmod 644 "$out"
say "wrote $out: $(tcpdump -nr "$out" 2>/dev/null | wc -l) packets, $(stat -c %s "$out") bytes"
