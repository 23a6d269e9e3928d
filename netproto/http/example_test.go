package http_test

import (
	"fmt"

	"github.com/medtap/medtap/netproto/http"
)

func ExampleDecoder() {
	var req, resp http.Decoder
	req.IsDefault = func(user, password []byte) bool { return string(user) == "orthanc" && string(password) == "orthanc" }
	req.Feed([]byte("POST /instances HTTP/1.1\r\nHost: pacs:8042\r\nAuthorization: Basic b3J0aGFuYzpvcnRoYW5j\r\n" +
		"Content-Length: 200\r\n\r\n" + string(make([]byte, 128)) + "DICM" + string(make([]byte, 68))))
	for {
		m, err := req.Next()
		if err == http.ErrNeedMore {
			break
		}
		fmt.Printf("%s %s host=%s user=%s default=%v body=%v\n", m.Method, m.Target, m.Host, m.BasicUser, m.DefaultCredential, m.BodyMagic)
		resp.Request(m.Method)
	}
	resp.Feed([]byte("HTTP/1.1 200 OK\r\nServer: ORTHANC\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"))
	for {
		m, err := resp.Next()
		if err == http.ErrNeedMore {
			break
		}
		fmt.Println(m.Status, string(m.Server), string(m.ContentType))
	}
	// Output:
	// POST /instances host=pacs:8042 user=orthanc default=true body=dicom
	// 200 ORTHANC application/json
}
