import { venCase } from './scenarios/common.js';
import { outOfOrder } from './scenarios/events.js';

export default venCase({
  id: 'XE_0010_TH_VTN', delivery: 'pull',
  title: 'FlexBridge events - out-of-order modificationNumber',
  requirement: 'After modificationNumber 2 of an event, a distribute with modificationNumber 1 of it is not accepted as a new version.',
  run: outOfOrder,
});
