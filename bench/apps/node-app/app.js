'use strict';
// Demo service for the stella-bench node-app image.
const _interopRequireDefault = require('@babel/runtime/helpers/interopRequireDefault');
const debug = require('debug')('stella-bench:app');
const express = require('express');
const _ = _interopRequireDefault(require('lodash')).default;
const semver = require('semver');

const app = express();
const port = Number(process.env.PORT || 3000);

app.get('/', (req, res) => {
  res.json({
    service: 'stella-bench-node-app',
    node: process.version,
    nodeSatisfies18: semver.satisfies(process.version, '>=18'),
    words: _.chunk(['scan', 'the', 'image', 'layers'], 2),
  });
});

if (require.main === module) {
  app.listen(port, () => debug(`listening on ${port}`));
}

module.exports = app;
