'use strict';
// Stand-in for the unix-dgram native addon (see package.json): janode imports it at load time for its Unix-socket
// transport, which the janus-sfu tests never use.
exports.createSocket = function createSocket() {
  throw new Error('unix-dgram is stubbed out in the janus-sfu tests: use the WebSocket transport');
};
