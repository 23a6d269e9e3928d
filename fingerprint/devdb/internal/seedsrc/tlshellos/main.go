// Command tlshellos prints the JA3 and JA4 fingerprints of the TLS clients
// installed here: the facts behind data/tls.db's "computed from" sources.
//
// It listens on a loopback port, runs each client against it (OpenSSL's
// s_client, curl, Python's ssl module, DCMTK's echoscu with TLS, OpenJDK's
// SSLSocket, GNU Wget, and Go's crypto/tls in process), reads the ClientHello, closes
// the connection and fingerprints the hello with medtap's netproto/tlshello.
// A client that is not installed is skipped. Run it from the module root:
//
//	go run ./fingerprint/devdb/internal/seedsrc/tlshellos
//
// Each line: the client and its version, the JA4, the JA3 hash and the JA3
// string.
package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/medtap/medtap/netproto/tlshello"
)

// server is the name clients ask for (resolved to loopback where a client
// takes a name).
const server = "pacs.example"

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	port := fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
	tmp, err := os.MkdirTemp("", "tlshellos")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(tmp)
	java := filepath.Join(tmp, "Hello.java")
	if err := os.WriteFile(java, []byte(javaClient), 0o644); err != nil {
		fail(err)
	}
	clients := []struct {
		name, version string // version: a command whose first line names it
		argv          []string
	}{
		{"openssl s_client", "openssl version", []string{"openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", server}},
		{"curl", "curl --version", []string{"curl", "-sk", "--resolve", server + ":" + port + ":127.0.0.1", "https://" + server + ":" + port + "/"}},
		{"python3 ssl.create_default_context()", `python3 -c "import sys,ssl;print('Python',sys.version.split()[0],ssl.OPENSSL_VERSION)"`,
			[]string{"python3", "-c", "import socket,ssl;c=ssl.create_default_context();c.check_hostname=False;c.verify_mode=ssl.CERT_NONE;" +
				"c.wrap_socket(socket.create_connection(('127.0.0.1'," + port + ")),server_hostname='" + server + "')"}},
		{"dcmtk echoscu +tla (default profile BCP 195 non-downgrading)", "echoscu --version", []string{"echoscu", "+tla", "-ic", "127.0.0.1", port}},
		{"OpenJDK SSLSocket", "java -version 2>&1", []string{"java", java, server, port}},
		{"wget (by address: no server name)", "wget --version", []string{"wget", "-q", "-t", "1", "--no-check-certificate", "-O", "/dev/null", "https://127.0.0.1:" + port + "/"}},
	}
	for _, c := range clients {
		if _, err := exec.LookPath(c.argv[0]); err != nil {
			fmt.Fprintf(os.Stderr, "%s: not installed, skipped\n", c.name)
			continue
		}
		version := firstLine(c.version)
		cmd := exec.Command(c.argv[0], c.argv[1:]...)
		cmd.Stdin = strings.NewReader("")
		if err := cmd.Start(); err != nil {
			fail(err)
		}
		hello, err := accept(ln)
		cmd.Process.Kill()
		cmd.Wait()
		report(c.name, version, hello, err)
	}
	// Go's crypto/tls, default configuration.
	go func() {
		conn, err := net.Dial("tcp", "127.0.0.1:"+port)
		if err != nil {
			return
		}
		tls.Client(conn, &tls.Config{ServerName: server}).Handshake()
		conn.Close()
	}()
	hello, err := accept(ln)
	report("Go crypto/tls tls.Client default Config", "go "+strings.TrimPrefix(runtimeVersion(), "go"), hello, err)
}

func report(name, version string, hello []byte, err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		return
	}
	h, err := tlshello.ParseClientHello(hello)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		return
	}
	fmt.Printf("%s\t%s\t%s\t%s\t%s\n", name, version, h.AppendJA4(nil), h.AppendJA3(nil), h.AppendJA3Full(nil))
}

// accept reads the ClientHello body of the next connection.
func accept(ln net.Listener) ([]byte, error) {
	ln.(*net.TCPListener).SetDeadline(time.Now().Add(20 * time.Second))
	conn, err := ln.Accept()
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	var msg []byte // handshake bytes, across records
	for {
		var hdr [5]byte
		if _, err := io.ReadFull(conn, hdr[:]); err != nil {
			return nil, err
		}
		if hdr[0] != 0x16 {
			return nil, errors.New("not a handshake record")
		}
		rec := make([]byte, int(hdr[3])<<8|int(hdr[4]))
		if _, err := io.ReadFull(conn, rec); err != nil {
			return nil, err
		}
		msg = append(msg, rec...)
		if len(msg) >= 4 {
			if msg[0] != 1 {
				return nil, errors.New("not a ClientHello")
			}
			if n := int(msg[1])<<16 | int(msg[2])<<8 | int(msg[3]); len(msg) >= 4+n {
				return msg[4 : 4+n], nil
			}
		}
	}
}

func firstLine(shell string) string {
	out, _ := exec.Command("sh", "-c", shell).Output()
	line, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(line)
}

func runtimeVersion() string {
	out, _ := exec.Command("go", "env", "GOVERSION").Output()
	return strings.TrimSpace(string(out))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

// javaClient is a single-file Java program: an SSLSocket of the default
// SSLSocketFactory, with the server name set, starting its handshake.
const javaClient = `import javax.net.ssl.*;
import java.util.List;
public class Hello {
    public static void main(String[] a) throws Exception {
        SSLSocket s = (SSLSocket) SSLSocketFactory.getDefault().createSocket("127.0.0.1", Integer.parseInt(a[1]));
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(a[0])));
        s.setSSLParameters(p);
        try { s.startHandshake(); } catch (Exception e) { }
    }
}
`
