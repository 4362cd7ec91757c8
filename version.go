package devicefarm

// Version is the version of this module, reported in the User-Agent header.
const Version = "0.2.0"
