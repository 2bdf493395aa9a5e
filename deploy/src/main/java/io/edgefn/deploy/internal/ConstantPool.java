package io.edgefn.deploy.internal;

/**
 * The constant pool of a class file: tags and their index operands, and the UTF-8 strings they
 * name, as JVMS §4.4 lays them out.
 *
 * <p>Immutable after construction.
 */
public final class ConstantPool {

    static final int UTF8 = 1;
    static final int INTEGER = 3;
    static final int FLOAT = 4;
    static final int LONG = 5;
    static final int DOUBLE = 6;
    static final int CLASS = 7;
    static final int STRING = 8;
    static final int FIELDREF = 9;
    static final int METHODREF = 10;
    static final int INTERFACE_METHODREF = 11;
    static final int NAME_AND_TYPE = 12;
    static final int METHOD_HANDLE = 15;
    static final int METHOD_TYPE = 16;
    static final int DYNAMIC = 17;
    static final int INVOKE_DYNAMIC = 18;
    static final int MODULE = 19;
    static final int PACKAGE = 20;

    private final int[] tags;
    private final int[] first;
    private final int[] second;
    private final String[] strings;

    private ConstantPool(int count) {
        tags = new int[count];
        first = new int[count];
        second = new int[count];
        strings = new String[count];
    }

    /** Reads the pool at the cursor (starting with its count). */
    static ConstantPool read(ByteCursor in) throws ClassFormatException {
        int count = in.u2();
        ConstantPool pool = new ConstantPool(count);
        for (int i = 1; i < count; i++) {
            int at = in.position();
            int tag = in.u1();
            pool.tags[i] = tag;
            switch (tag) {
                case UTF8 -> pool.strings[i] = in.utf8(in.u2());
                case INTEGER, FLOAT -> in.skip(4);
                case LONG, DOUBLE -> {
                    in.skip(8);
                    i++; // eight-byte constants take two slots (JVMS §4.4.5)
                }
                case CLASS, STRING, METHOD_TYPE, MODULE, PACKAGE -> pool.first[i] = in.u2();
                case FIELDREF, METHODREF, INTERFACE_METHODREF, NAME_AND_TYPE, DYNAMIC, INVOKE_DYNAMIC -> {
                    pool.first[i] = in.u2();
                    pool.second[i] = in.u2();
                }
                case METHOD_HANDLE -> {
                    pool.first[i] = in.u1();
                    pool.second[i] = in.u2();
                }
                default -> throw new ClassFormatException("unknown constant pool tag " + tag + " at entry " + i
                        + " (byte " + at + ")");
            }
        }
        return pool;
    }

    /** The number of slots, as the class file's {@code constant_pool_count}. */
    int size() {
        return tags.length;
    }

    /** The tag of entry {@code index}, or 0 when it is out of range or the second slot of a long. */
    int tag(int index) {
        return index > 0 && index < tags.length ? tags[index] : 0;
    }

    /** The first operand of entry {@code index} (a class's name index, a ref's class index, …). */
    int first(int index) {
        return first[index];
    }

    /** The second operand of entry {@code index} (a ref's name-and-type index, …). */
    int second(int index) {
        return second[index];
    }

    /** The UTF-8 string at {@code index}; a class file error when the entry is not one. */
    String utf8(int index) throws ClassFormatException {
        if (tag(index) != UTF8) {
            throw new ClassFormatException("constant pool entry " + index + " should be a UTF-8 string but has tag "
                    + tag(index));
        }
        return strings[index];
    }

    /** The internal name of the class at {@code index} (e.g. {@code java/lang/System}). */
    String className(int index) throws ClassFormatException {
        expect(index, CLASS, "a class");
        return utf8(first[index]);
    }

    /** The member ({@code Fieldref}, {@code Methodref}, {@code InterfaceMethodref}) at {@code index}. */
    MemberRef member(int index) throws ClassFormatException {
        int tag = tag(index);
        if (tag != FIELDREF && tag != METHODREF && tag != INTERFACE_METHODREF) {
            throw new ClassFormatException("constant pool entry " + index + " should be a member reference but has tag "
                    + tag);
        }
        int nameAndType = second[index];
        expect(nameAndType, NAME_AND_TYPE, "a name and type");
        return new MemberRef(className(first[index]), utf8(first[nameAndType]), utf8(second[nameAndType]));
    }

    private void expect(int index, int tag, String what) throws ClassFormatException {
        if (tag(index) != tag) {
            throw new ClassFormatException("constant pool entry " + index + " should be " + what + " but has tag "
                    + tag(index));
        }
    }

    /**
     * A field or method a class refers to.
     *
     * @param owner      the internal name of the class that declares it, e.g. {@code java/lang/System}
     * @param name       its name
     * @param descriptor its descriptor, e.g. {@code (I)V}
     */
    public record MemberRef(String owner, String name, String descriptor) {}
}
