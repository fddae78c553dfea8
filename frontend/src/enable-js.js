// Runs at the start of <body> so GOV.UK Frontend styles for JavaScript-enabled
// pages apply before first paint; kept in a file so the CSP needs no inline script.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
