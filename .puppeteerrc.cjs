// md-to-pdf (a devDependency, only for `npm run bench`) depends on the full `puppeteer`, whose
// install script downloads a Chrome. auditmark never uses that download: it prints with
// puppeteer-core and the Chromium of @sparticuz/chromium (or a system one), and the bench gives
// md-to-pdf the same executable. Where npm runs install scripts, this keeps `npm ci` offline.
module.exports = { skipDownload: true };
