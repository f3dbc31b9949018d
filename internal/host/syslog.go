package host

// Syslog is the system logging set-up of a host.
type Syslog struct{}

// syslog reads the system logging configuration.
func (b *builder) syslog() {}
