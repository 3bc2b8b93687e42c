import { objectTo301, queryFrom301, requestFrom301, targetsFrom301, targetsTo301 } from '../openadr3/dialect-301.js';

describe('OpenADR 3.0.1 on the 3.1 model', () => {
  it('turns 3.0.1 targets into 3.1 strings and back: GROUP values as they are, other types kept as TYPE:value', () => {
    const t301 = [{ type: 'GROUP', values: ['north', 'south'] }, { type: 'VEN_NAME', values: ['house-7'] }];
    expect(targetsFrom301(t301, 'targets')).toEqual(['north', 'south', 'VEN_NAME:house-7']);
    expect(targetsTo301(['north', 'south', 'VEN_NAME:house-7'])).toEqual(t301);
    // A 3.1 target with a colon that is no 3.0.1 type is a group.
    expect(targetsTo301(['urn:x:1'])).toEqual([{ type: 'GROUP', values: ['urn:x:1'] }]);
    expect(targetsFrom301(null, 'targets')).toBeUndefined();
    expect(() => targetsFrom301(['north'], 'targets')).toThrow(/a 3.0.1 target is \{type, values\}/);
    expect(() => targetsFrom301({ type: 'GROUP' }, 'targets')).toThrow(/a list of \{type, values\}/);
  });

  it('reads a 3.0.1 search and request body in 3.1 words, and writes 3.1 objects as 3.0.1', () => {
    expect(queryFrom301({ targetType: 'GROUP', targetValues: ['a', 'b'], skip: '0' })).toEqual({ skip: '0', targets: ['a', 'b'] });
    expect(queryFrom301({ targetType: 'VEN_NAME', targetValues: 'v1' })).toEqual({ targets: ['VEN_NAME:v1'] });
    // Whole objects come back from 3.0.1 clients: the VTN's own fields are dropped.
    expect(requestFrom301('events', { id: 'e', objectType: 'EVENT', createdDateTime: 'x', programID: 'p', targets: [{ type: 'GROUP', values: ['g'] }], intervals: [] }, 'bl'))
      .toEqual({ programID: 'p', targets: ['g'], intervals: [] });
    expect(requestFrom301('vens', { venName: 'house-7', resources: [] }, 'bl')).toEqual({ venName: 'house-7', objectType: 'BL_VEN_REQUEST', clientID: 'house-7' });
    expect(requestFrom301('vens', { venName: 'house-7' }, 'ven')).toEqual({ venName: 'house-7', objectType: 'VEN_VEN_REQUEST' });
    expect(requestFrom301('subscriptions', { clientName: 'c', objectOperations: [] }, 'ven')).toMatchObject({ 'x-flexbridge-dialect': '3.0.1' });
    expect(objectTo301({ id: 's', 'x-flexbridge-dialect': '3.0.1', targets: ['g'] })).toEqual({ id: 's', targets: [{ type: 'GROUP', values: ['g'] }] });
    expect(objectTo301({ id: 'p' })).toEqual({ id: 'p' });
  });
});
