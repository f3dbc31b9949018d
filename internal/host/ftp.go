package host

// FTP is the FTP set-up: the FTP daemons, ftpusers and user lists, anonymous access.
type FTP struct{}

// ftp reads the FTP set-up.
func (b *builder) ftp() {}
