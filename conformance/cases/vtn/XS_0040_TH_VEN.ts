import { vtnCase } from './scenarios/common.js';
import { replayed } from './scenarios/general.js';

export default vtnCase({
  id: 'XS_0040_TH_VEN', delivery: 'pull',
  title: 'FlexBridge security - replayed signed payload',
  requirement: 'The same signed payload (same ReplayProtect nonce) sent twice is served once and refused with 463 the second time.',
  run: replayed,
});
