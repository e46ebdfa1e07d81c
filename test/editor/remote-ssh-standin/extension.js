// A stand-in for Remote-SSH in tests: it only declares the ssh-remote resolver event, so the
// extension's detection finds "a Remote-SSH"; it resolves nothing.
/* global exports */
exports.activate = () => undefined;
