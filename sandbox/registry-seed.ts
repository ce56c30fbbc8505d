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
