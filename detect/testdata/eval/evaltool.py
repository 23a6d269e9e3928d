#!/usr/bin/python3
"""evaltool.py: the helpers record.sh runs to make the detect evaluation
captures (run with Debian's /usr/bin/python3, which has python3-pydicom):

  studies DIR PREFIX N KIND       N studies of fake patients, 1-2 small images
                                  each, from pydicom's test files (KIND ct or mr)
  polyglot IN OUT                 IN with its 128-byte preamble replaced by an
                                  MS-DOS stub and PE header ("MZ" ... "PE\\0\\0")
  privexe IN OUT                  IN with a private OB element (0009,1010) whose
                                  value starts with an ELF header and another
                                  (0009,1011) starting with "MZ"
  mllp-server HOST PORT LOG       an HL7 MLLP receiver that ACKs (AA) every
                                  message it can parse and NAKs (AR) the rest
  hl7 HOST PORT KIND SEQ [N]      send N HL7 messages of KIND over one MLLP
                                  connection, waiting for each ACK
  dicom-garbage HOST PORT         malformed DICOM UL PDUs, one connection each
  hl7-garbage HOST PORT           malformed HL7 inside MLLP frames
  astm-server HOST PORT           an ASTM E1381 receiver (ACKs each frame)
  astm HOST PORT SEQ              an analyser sending one E1394 result message

Everything it writes is made up here: the patients are fake, the UIDs are
under 2.25 and derived from the arguments, so runs are repeatable.
"""
import datetime
import os
import socket
import socketserver
import sys
import threading

TEST_FILES = "/usr/lib/python3/dist-packages/pydicom/data/test_files"

FIRST = ["JANE", "JOHN", "MARIA", "PETER", "ANNA", "LUCAS", "SOFIA", "DAVID",
         "EMMA", "OMAR", "LINA", "PAUL", "NORA", "IVAN", "SARA", "TOM"]
LAST = ["DOE", "ROE", "MILLER", "NOVAK", "BERG", "SILVA", "HOLM", "KRAUSE",
        "MOREAU", "ROSSI", "JANSEN", "WEBER", "COSTA", "LEHTO", "BAKER", "HAAS"]


def uid(*parts):
    return "2.25." + "".join("%d" % p for p in parts)


def patient(prefix, i):
    """A fake patient for index i of study series prefix."""
    h = sum(ord(c) for c in prefix) * 7 + i * 13
    name = "%s^%s" % (LAST[h % len(LAST)], FIRST[(h // 3) % len(FIRST)])
    return name, "MRN%s%03d" % (prefix.upper()[:3], i)


def shrink(ds):
    """Halves a 16-bit monochrome image's rows and columns in place."""
    rows, cols = ds.Rows, ds.Columns
    if ds.BitsAllocated != 16 or getattr(ds, "SamplesPerPixel", 1) != 1:
        return
    px = bytes(ds.PixelData)
    out = bytearray()
    for r in range(0, rows, 2):
        line = px[r * cols * 2:(r + 1) * cols * 2]
        for c in range(0, cols, 2):
            out += line[c * 2:c * 2 + 2]
    ds.Rows, ds.Columns = rows // 2, cols // 2
    ds.PixelData = bytes(out)


def cmd_studies(out, prefix, n, kind):
    import pydicom
    src = {"ct": "CT_small.dcm", "mr": "MR_small.dcm"}[kind]
    os.makedirs(out, exist_ok=True)
    seed = sum(ord(c) for c in prefix) * 1000
    for i in range(int(n)):
        name, pid = patient(prefix, i)
        sdir = os.path.join(out, "%s%03d" % (prefix, i))
        os.makedirs(sdir, exist_ok=True)
        images = 1 + (i % 2)
        for k in range(images):
            ds = pydicom.dcmread(os.path.join(TEST_FILES, src))
            shrink(ds)
            shrink(ds)
            ds.PatientName = name
            ds.PatientID = pid
            ds.PatientBirthDate = "19%02d%02d%02d" % (40 + i % 50, 1 + i % 12, 1 + i % 28)
            ds.PatientSex = "F" if i % 2 else "M"
            ds.StudyInstanceUID = uid(seed, i, 1)
            ds.SeriesInstanceUID = uid(seed, i, 2)
            ds.SOPInstanceUID = uid(seed, i, 3, k)
            ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
            ds.StudyID = "%d" % (i + 1)
            ds.AccessionNumber = "ACC%s%04d" % (prefix.upper()[:3], i)
            ds.StudyDate = "20261206"
            ds.SeriesDate = "20261206"
            ds.StudyDescription = "CT HEAD" if kind == "ct" else "MR KNEE"
            ds.InstitutionName = "GENERAL HOSPITAL"
            ds.InstanceNumber = k + 1
            ds.save_as(os.path.join(sdir, "img%d.dcm" % k), write_like_original=False)
        print("%s\t%s\t%s\t%s" % (sdir, pid, name, uid(seed, i, 1)))


def pe_stub():
    """An MS-DOS header and PE signature with a COFF header, 128 bytes."""
    b = bytearray(128)
    b[0:2] = b"MZ"
    b[2:4] = (0x90).to_bytes(2, "little")      # bytes on last page
    b[4:6] = (3).to_bytes(2, "little")         # pages
    b[8:10] = (4).to_bytes(2, "little")        # header paragraphs
    b[0x18:0x1A] = (0x40).to_bytes(2, "little")  # relocation table offset
    b[0x3C:0x40] = (0x40).to_bytes(4, "little")  # e_lfanew
    b[0x40:0x44] = b"PE\0\0"
    b[0x44:0x46] = (0x14C).to_bytes(2, "little")  # machine i386
    b[0x46:0x48] = (1).to_bytes(2, "little")      # one section
    b[0x54:0x56] = (0xE0).to_bytes(2, "little")   # optional header size
    b[0x56:0x58] = (0x0102).to_bytes(2, "little")  # executable, 32-bit
    b[0x58:0x5A] = (0x10B).to_bytes(2, "little")  # PE32 optional header magic
    return bytes(b)


def cmd_polyglot(src, dst):
    data = open(src, "rb").read()
    if data[128:132] != b"DICM":
        sys.exit("polyglot: %s has no preamble" % src)
    open(dst, "wb").write(pe_stub() + data[128:])


def elf_header():
    b = bytearray(64)
    b[0:4] = b"\x7fELF"
    b[4], b[5], b[6] = 2, 1, 1           # 64-bit, little endian, version 1
    b[16:18] = (2).to_bytes(2, "little")   # ET_EXEC
    b[18:20] = (62).to_bytes(2, "little")  # x86-64
    b[20:24] = (1).to_bytes(4, "little")
    b[52:54] = (64).to_bytes(2, "little")  # header size
    return bytes(b)


def cmd_privexe(src, dst):
    import pydicom
    ds = pydicom.dcmread(src)
    ds.add_new(0x00090010, "LO", "MEDTAP EVAL")
    ds.add_new(0x00091010, "OB", elf_header() + bytes(192))
    ds.add_new(0x00091011, "OB", pe_stub() + bytes(128))
    ds.SOPInstanceUID = ds.SOPInstanceUID + ".9"
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.save_as(dst, write_like_original=False)


def now():
    return datetime.datetime.utcnow().strftime("%Y%m%d%H%M%S")


class MLLPHandler(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.settimeout(30)
        buf = b""
        while True:
            try:
                chunk = self.request.recv(65536)
            except OSError:
                return
            if not chunk:
                return
            buf += chunk
            while b"\x1c\r" in buf:
                frame, buf = buf.split(b"\x1c\r", 1)
                start = frame.find(b"\x0b")
                msg = frame[start + 1:] if start >= 0 else frame
                self.request.sendall(b"\x0b" + ack(msg) + b"\x1c\r")
                with open(self.server.log, "a") as f:
                    f.write("%s %r\n" % (self.client_address[0], msg[:60]))


def ack(msg):
    text = msg.decode("latin-1")
    code, ctrl, app, fac, trig = "AA", "", "", "", ""
    if not text.startswith("MSH") or len(text) < 8:
        code = "AR"
    else:
        fs = text[3]
        f = text.split("\r")[0].split(fs)
        if len(f) < 12:
            code = "AR"
        else:
            app, fac, ctrl = f[2], f[3], f[9]
            trig = f[8].split(text[4])[1] if text[4] in f[8] else ""
    a = "MSH|^~\\&|ENGINE|GENHOSP|%s|%s|%s||ACK^%s|ACK%s|P|2.5.1\rMSA|%s|%s\r" % (
        app, fac, now(), trig, ctrl, code, ctrl)
    return a.encode("latin-1")


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    allow_reuse_address = True
    daemon_threads = True


def cmd_mllp_server(host, port, log):
    s = Server((host, int(port)), MLLPHandler)
    s.log = log
    s.serve_forever()


# HL7 v2.5.1 messages. Each sender has its own MSH-3/MSH-4.
SENDERS = {
    "adt": ("ADT_SYS", "GENHOSP"),
    "oru": ("LIS", "GENLAB"),
    "newsender": ("LABX", "OUTSIDE_CLINIC"),
}

TESTS = [("2093-3", "Cholesterol", "mg/dL", "<200", 150, 199),
         ("2345-7", "Glucose", "mg/dL", "70-99", 72, 98),
         ("718-7", "Hemoglobin", "g/dL", "12.0-17.5", 12, 17),
         ("2823-3", "Potassium", "mmol/L", "3.5-5.1", 3.6, 5.0)]


def hl7_message(kind, seq):
    ts = now()
    pname, pid = patient("hl7", seq % 40)
    pid_seg = "PID|1||%s^^^GENHOSP^MR||%s||19%02d0%d1%d|%s|||%d MAIN ST^^SPRINGFIELD^^12345" % (
        pid, pname, 40 + seq % 50, 1 + seq % 9, seq % 10, "FM"[seq % 2], 1 + seq)
    if kind in ("adt", "adt08"):
        app, fac = SENDERS["adt"]
        ev = "A01" if kind == "adt" else "A08"
        segs = ["MSH|^~\\&|%s|%s|ENGINE|GENHOSP|%s||ADT^%s^ADT_A01|ADT%06d|P|2.5.1" % (app, fac, ts, ev, seq),
                "EVN|%s|%s" % (ev, ts), pid_seg,
                "PV1|1|I|WARD%d^%d^A||||1234^SMITH^ALAN"]
        segs[-1] = segs[-1] % (1 + seq % 4, 100 + seq % 20)
        return "\r".join(segs) + "\r"
    sender = "newsender" if kind == "newsender" else "oru"
    app, fac = SENDERS[sender]
    segs = ["MSH|^~\\&|%s|%s|ENGINE|GENHOSP|%s||ORU^R01^ORU_R01|%s%06d|P|2.5.1" % (app, fac, ts, app, seq),
            pid_seg,
            None]
    status = "C" if kind == "correction" else "F"
    segs[2] = "OBR|1|ORD%06d|FIL%06d|24323-8^Metabolic panel^LN|||%s|||||||||1234^SMITH^ALAN||||||%s|||%s" % (
        seq, seq, ts, ts, status)
    inject = {"inject-script": "<script>alert(1)</script>",
              "inject-sql": "' OR '1'='1",
              "inject-shell": "; rm -rf /"}
    for n, (code, name, unit, rng, lo, hi) in enumerate(TESTS):
        span = hi - lo
        v = lo + span * ((seq * 7 + n * 3) % 10) / 10.0
        val = ("%.1f" % v) if isinstance(lo, float) or span < 10 else "%d" % v
        vt = "NM"
        if kind in inject and n == 0:
            val, vt = inject[kind], "ST"
        segs.append("OBX|%d|%s|%s^%s^LN||%s|%s|%s|N|||%s|||%s" % (n + 1, vt, code, name, val, unit, rng, status, ts))
    return "\r".join(segs) + "\r"


def recv_frame(s):
    buf = b""
    while b"\x1c\r" not in buf:
        c = s.recv(65536)
        if not c:
            break
        buf += c
    return buf


def cmd_hl7(host, port, kind, seq, n="1"):
    s = socket.create_connection((host, int(port)), timeout=10)
    for k in range(int(n)):
        msg = hl7_message(kind, int(seq) + k).encode("latin-1")
        s.sendall(b"\x0b" + msg + b"\x1c\r")
        a = recv_frame(s)
        if b"MSA|AA" not in a:
            sys.exit("hl7: no AA for %s: %r" % (kind, a[:80]))
    s.close()


def garbage_send(host, port, data, wait=2.0):
    try:
        s = socket.create_connection((host, int(port)), timeout=wait)
        s.sendall(data)
        try:
            s.recv(65536)
        except OSError:
            pass
        s.close()
    except OSError as e:
        print("garbage: %s" % e, file=sys.stderr)


def cmd_dicom_garbage(host, port):
    called, calling = b"ORTHANC".ljust(16), b"MR01".ljust(16)
    # An A-ASSOCIATE-RQ whose PDU length (0x7fffffff) exceeds any sane limit.
    garbage_send(host, port, b"\x01\x00\x7f\xff\xff\xff\x00\x01\x00\x00" + called + calling + bytes(32))
    # An A-ASSOCIATE-RQ whose application context item claims more bytes than the PDU has.
    body = b"\x00\x01\x00\x00" + called + calling + bytes(32) + b"\x10\x00\x01\x00" + b"1.2.840.10008.3.1.1.1"
    garbage_send(host, port, b"\x01\x00" + len(body).to_bytes(4, "big") + body)
    # An unknown PDU type (0x09).
    garbage_send(host, port, b"\x09\x00\x00\x00\x00\x04\xde\xad\xbe\xef")
    # A P-DATA-TF before any association.
    garbage_send(host, port, b"\x04\x00\x00\x00\x00\x0a\x00\x00\x00\x06\x01\x03\x00\x00\x00\x00")


def cmd_hl7_garbage(host, port):
    frames = [
        # No MSH segment at all.
        b"PID|1||123^^^X||EVIL^MALLORY\rOBX|1|ST|X||1\r",
        # An MSH whose encoding characters are missing.
        b"MSH|\r",
        # Binary junk in a frame.
        bytes(range(1, 11)) + bytes(range(14, 64)),
        # A frame with no end block: the connection closes in the middle.
        None,
    ]
    for f in frames:
        try:
            s = socket.create_connection((host, int(port)), timeout=3)
            if f is None:
                s.sendall(b"\x0bMSH|^~\\&|X|Y|ENGINE|GENHOSP|" + now().encode() + b"||ORU^R01|X1|P|2.5.1\rPID|1")
            else:
                s.sendall(b"\x0b" + f + b"\x1c\r")
                try:
                    recv_frame(s)
                except OSError:
                    pass
            s.close()
        except OSError as e:
            print("hl7-garbage: %s" % e, file=sys.stderr)


ENQ, ACK, NAK, EOT, STX, ETX, CR, LF = b"\x05", b"\x06", b"\x15", b"\x04", b"\x02", b"\x03", b"\r", b"\n"


class ASTMHandler(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.settimeout(30)
        while True:
            try:
                c = self.request.recv(65536)
            except OSError:
                return
            if not c:
                return
            if ENQ in c or LF in c:
                self.request.sendall(ACK)


def cmd_astm_server(host, port):
    Server((host, int(port)), ASTMHandler).serve_forever()


def astm_frame(n, text):
    body = b"%d" % (n % 8) + text + CR + ETX
    cs = sum(body) % 256
    return STX + body + b"%02X" % cs + CR + LF


def cmd_astm(host, port, seq):
    seq = int(seq)
    ts = now().encode()
    pname, pid = patient("astm", seq % 40)
    recs = [b"H|\\^&|||COBAS^c311^1.0|||||||P|1|" + ts,
            b"P|1||" + pid.encode() + b"||" + pname.encode(),
            b"O|1|S%06d||^^^GLU\\^^^CREA|R|" % seq + ts,
            b"R|1|^^^GLU|%d|mg/dL|70-99|N||F||||" % (75 + seq % 20) + ts,
            b"R|2|^^^CREA|%.2f|mg/dL|0.6-1.2|N||F||||" % (0.7 + (seq % 5) / 10) + ts,
            b"L|1|N"]
    s = socket.create_connection((host, int(port)), timeout=10)
    s.sendall(ENQ)
    if s.recv(1) != ACK:
        sys.exit("astm: no ACK to ENQ")
    for n, r in enumerate(recs):
        s.sendall(astm_frame(n + 1, r))
        if s.recv(1) != ACK:
            sys.exit("astm: no ACK to frame %d" % (n + 1))
    s.sendall(EOT)
    s.close()


def main():
    cmds = {"studies": cmd_studies, "polyglot": cmd_polyglot, "privexe": cmd_privexe,
            "mllp-server": cmd_mllp_server, "hl7": cmd_hl7,
            "dicom-garbage": cmd_dicom_garbage, "hl7-garbage": cmd_hl7_garbage,
            "astm-server": cmd_astm_server, "astm": cmd_astm}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    cmds[sys.argv[1]](*sys.argv[2:])


if __name__ == "__main__":
    main()
