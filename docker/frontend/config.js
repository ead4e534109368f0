// Replaced at container start by 10-write-app-config.envsh; empty values mean "same origin, local login".
window.__APP_CONFIG__ = {};
