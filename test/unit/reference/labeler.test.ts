import { message } from '../../../src/platform/i18n';
import { UNKNOWN_OFFICE } from '../../../src/reference/dimensions';
import { createLabeler, labelerFor } from '../../../src/reference/labeler';
import { loadTestReference } from '../../support/reference-csv';

const reference = loadTestReference();
const labeler = createLabeler(reference);

describe('the reference labeler', () => {
  it('labels a state, an office and a code from the catalogs, and an unknown key as itself', () => {
    const office = reference.offices.find((o) => message('pt', `reference.offices.${o.code}`) !== undefined)!;
    expect(labeler.label('state', 'TX', 'es')).toBe(message('es', 'reference.states.TX'));
    expect(labeler.label('field_office', office.code, 'pt')).toBe(message('pt', `reference.offices.${office.code}`));
    expect(labeler.label('field_office', UNKNOWN_OFFICE, 'es')).toBe('Oficina desconocida');
    expect(labeler.label('target_role', 'nope', 'en')).toBe('nope');
  });

  it("gives a code's definition in a language, and nothing for a code it does not know", () => {
    const code = labeler.codes('action_type')[0]!;
    expect(labeler.definition('action_type', code.code, 'en')).toBe(
      message('en', `reference.codes.action_type.${code.code}.definition`) ?? code.definitionEn,
    );
    expect(labeler.definition('action_type', 'nope', 'en')).toBe('');
  });

  it("gives an office's recorded name untranslated, whatever the language, and a code it does not know as itself", () => {
    const office = reference.offices[0]!;
    expect(labeler.recordedOfficeName(office.code)).toBe(office.name);
    expect(labeler.recordedOfficeName('XX')).toBe('XX');
  });

  it('is built once per reference, so every capability shares one', () => {
    expect(labelerFor(reference)).toBe(labelerFor(reference));
    expect(labelerFor(loadTestReference())).not.toBe(labelerFor(reference));
  });
});
