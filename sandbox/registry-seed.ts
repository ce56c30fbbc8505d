/**
 * The sandbox registry's test people and companies. Every number has a valid check digit. Some are
 * deceased or liquidated; the numbers in ABSENT are valid but not in the registry (P4).
 */
export interface SeedIndividual {
  iin: string;
  fullName: string;
  birthDate: string;
  status: 'active' | 'deceased';
}
export interface SeedEntity {
  bin: string;
  name: string;
  head: string;
  address: string;
  registeredAt: string;
  status: 'active' | 'liquidated';
}

export const INDIVIDUALS: SeedIndividual[] = [
  { iin: '900702400457', fullName: 'Жұмабаева Әсел Қайратқызы', birthDate: '1990-07-02', status: 'active' },
  { iin: '781201300016', fullName: 'Сәрсенбаев Нұрлан Жанұлы', birthDate: '1978-12-01', status: 'active' },
  { iin: '950512400017', fullName: 'Ким Елена Викторовна', birthDate: '1995-05-12', status: 'active' },
  { iin: '010203500018', fullName: 'Төлеген Айбек Ерланұлы', birthDate: '2001-02-03', status: 'active' },
  { iin: '880229400013', fullName: 'Иванова Ольга Петровна', birthDate: '1988-02-29', status: 'active' },
  { iin: '850315300128', fullName: 'Омаров Ерлан Серікұлы', birthDate: '1985-03-15', status: 'active' },
  { iin: '620415300015', fullName: 'Қасымов Бауыржан Өмірұлы', birthDate: '1962-04-15', status: 'deceased' },
];

export const ENTITIES: SeedEntity[] = [
  {
    bin: '070240022228',
    name: '"Алатау Экология" ЖШС',
    head: 'Серікбаев Даулет Маратұлы',
    address: 'Алматы қ., Абай даңғ., 52',
    registeredAt: '2007-02-14',
    status: 'active',
  },
  {
    bin: '150240012347',
    name: '"Жетісу Мақта Қоймасы" АҚ',
    head: 'Ахметова Гүлнар Серікқызы',
    address: 'Алматы обл., Жаркент қ., Өтегенов к-сі, 3',
    registeredAt: '2015-02-20',
    status: 'active',
  },
  {
    bin: '100140011118',
    name: '"Green Build KZ" ЖШС',
    head: 'Нұрпейісов Асқар Бекұлы',
    address: 'Алматы қ., Төле би к-сі, 286',
    registeredAt: '2010-01-11',
    status: 'active',
  },
  {
    bin: '181141000016',
    name: '"Алатау Экология" ЖШС Шымкент филиалы',
    head: 'Байболов Арман Қанатұлы',
    address: 'Шымкент қ., Тәуке хан даңғ., 17',
    registeredAt: '2018-11-05',
    status: 'active',
  },
  {
    bin: '990540000110',
    name: '"Металл-Сервис" ЖШС',
    head: 'Петров Андрей Николаевич',
    address: 'Тараз қ., Жамбыл даңғ., 8',
    registeredAt: '1999-05-03',
    status: 'liquidated',
  },
];

/** Valid numbers that the registry does not know: looking them up gives P4. */
export const ABSENT = { iin: ['930815400010', '770707300012'], bin: ['120340000014'] };

/** A notarised power of attorney in the notarial registry (БНАЖ / ЕНИС). */
export interface SeedPowerOfAttorney {
  number: string;
  issuedAt: string;
  validUntil: string;
  notary: string;
  principal: { kind: 'iin' | 'bin'; number: string; name: string };
  representative: { iin: string; name: string };
  powers: string;
  /** "revoked" is recorded by the notary; "expired" is never stored: the registry computes it from validUntil. */
  revoked: boolean;
}

export const POWERS_OF_ATTORNEY: SeedPowerOfAttorney[] = [
  {
    number: 'NT-2025-0001451',
    issuedAt: '2025-03-11',
    validUntil: '2035-03-10',
    notary: 'Алматы қ. нотариусы Бекова Д. С. (лицензия № 0001234)',
    principal: { kind: 'bin', number: '150240012347', name: '"Жетісу Мақта Қоймасы" АҚ' },
    representative: { iin: '781201300016', name: 'Сәрсенбаев Нұрлан Жанұлы' },
    powers: 'Лицензия алу, қайта ресімдеу және телнұсқа алу үшін өтініш беру',
    revoked: false,
  },
  {
    number: 'NT-2024-0000877',
    issuedAt: '2024-01-15',
    validUntil: '2024-12-31',
    notary: 'Алматы қ. нотариусы Оспанов Р. К. (лицензия № 0004567)',
    principal: { kind: 'iin', number: '900702400457', name: 'Жұмабаева Әсел Қайратқызы' },
    representative: { iin: '950512400017', name: 'Ким Елена Викторовна' },
    powers: 'Мемлекеттік органдарда мүддесін білдіру',
    revoked: false,
  },
  {
    number: 'NT-2025-0002210',
    issuedAt: '2025-06-02',
    validUntil: '2030-06-01',
    notary: 'Алматы қ. нотариусы Бекова Д. С. (лицензия № 0001234)',
    principal: { kind: 'bin', number: '070240022228', name: '"Алатау Экология" ЖШС' },
    representative: { iin: '010203500018', name: 'Төлеген Айбек Ерланұлы' },
    powers: 'Рұқсат алу үшін өтініш беру',
    revoked: true,
  },
];

/** Reasons a provider gives when it refuses (P8), in the three languages. */
export interface RefusalReason {
  code: string;
  text: { kk: string; ru: string; en: string };
}

export const REFUSAL_REASONS: Record<string, RefusalReason> = {
  QUALIFICATION: {
    code: 'QUALIFICATION',
    text: {
      kk: 'Өтініш беруші біліктілік талаптарына сәйкес келмейді',
      ru: 'Заявитель не соответствует квалификационным требованиям',
      en: 'The applicant does not meet the qualification requirements',
    },
  },
  DOCUMENTS: {
    code: 'DOCUMENTS',
    text: {
      kk: 'Ұсынылған құжаттарда дұрыс емес мәліметтер анықталды',
      ru: 'В представленных документах выявлены недостоверные сведения',
      en: 'The documents presented contain inaccurate information',
    },
  },
};

/**
 * The provider's default decision per applicant (by IIN or BIN): everyone else is approved. Tests
 * can change this at run time through the admin endpoint (PUT /admin/outcomes/{number}).
 */
export const REFUSED_APPLICANTS: Record<string, (keyof typeof REFUSAL_REASONS)[]> = {
  '010203500018': ['QUALIFICATION'],
  '181141000016': ['QUALIFICATION', 'DOCUMENTS'],
};
