// Node entry for both `require` and `import`: one module instance, so `instanceof` holds from both.
module.exports = require('./tc3_lighthouse.js');
module.exports.TencentCloudError = module.exports.errorClass();
module.exports.toNodeListener = require('./http.cjs').toNodeListener;
