// Node entry for both `require` and `import`: one module instance, so `instanceof` holds from both.
module.exports = require('./tc3_lighthouse.js');
module.exports.TencentCloudError = module.exports.errorClass();
// Loaded on first use: most programs never serve HTTP.
module.exports.toNodeListener = function toNodeListener(handler, options) {
  return require('./http.cjs').toNodeListener(handler, options);
};
